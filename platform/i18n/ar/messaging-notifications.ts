/** Arabic for the messages of the messaging subgraph's notifications (see ../translate.ts for the format). */
export const messagingNotifications: Record<string, string> = {};
