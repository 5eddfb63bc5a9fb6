/** Arabic for the messages of the messaging subgraph's conversations (see ../translate.ts for the format). */
export const messagingConversations: Record<string, string> = {};
