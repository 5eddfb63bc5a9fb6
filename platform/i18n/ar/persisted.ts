/**
 * Arabic for the persisted-operation answers of the gateway (gateway/persisted). Apollo's own
 * `PersistedQueryNotFound` / `PersistedQueryNotSupported` stay untranslated on purpose: Apollo
 * Client's persisted-query link recognizes them by that exact message as well as by code.
 */
export const persisted: Record<string, string> = {
  'provided sha does not match query': 'البصمة المرسلة (sha256Hash) لا تطابق نص العملية',
  'This app may only send the operations it registered': 'لا يمكن لهذا التطبيق إرسال إلا العمليات التي سجَّلها',
  'Unsupported persisted query version': 'إصدار الاستعلام المحفوظ غير مدعوم',
};
