/** Arabic for the messages of the messaging subgraph's reactions (see ../translate.ts for the format). */
export const messagingReactions: Record<string, string> = {};
