/** Arabic for the answers to partner API-key calls (gateway/partner). */
export const partner: Record<string, string> = {
  'Send an API key or a sign-in token, not both': 'أرسل مفتاح واجهة برمجية أو رمز تسجيل دخول، لا كليهما',
  'Partner access is not ready yet; try again shortly': 'وصول الشركاء غير جاهز بعد؛ حاول مرة أخرى بعد قليل',
  'This API key is unknown or revoked': 'مفتاح الواجهة البرمجية هذا غير معروف أو أُلغي',
  'This API key is for another school': 'مفتاح الواجهة البرمجية هذا خاص بمدرسة أخرى',
  'No partner contract is published': 'لا يوجد عقد شركاء منشور',
};
