/** Arabic for the messages of the messaging subgraph's delivery (see ../translate.ts for the format). */
export const messagingDelivery: Record<string, string> = {
  'platform must be ios, android or web': 'يجب أن تكون المنصة ios أو android أو web',
  'token must be 1 to 4096 characters without spaces': 'يجب أن يتكون token من 1 إلى 4096 حرفًا بلا مسافات',
  'The callback was refused': 'رُفض الإشعار',
};
