/** Arabic for the messages of the messaging subgraph's delivery (see ../translate.ts for the format). */
export const messagingDelivery: Record<string, string> = {};
