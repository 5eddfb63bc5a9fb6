/** Arabic for the messages of the messaging subgraph's notifications (see ../translate.ts for the format). */
export const messagingNotifications: Record<string, string> = {
  // Templates
  '{field} is not a valid template: {reason}': 'القالب في {field} غير صالح: {reason}',
  'input.key must be lower-case words joined by ".", "_" or "-", at most 100 characters':
    'يجب أن يكون مفتاح القالب كلمات بحروف إنجليزية صغيرة وأرقام تفصل بينها "." أو "_" أو "-"، بحد أقصى 100 حرف',
  // Preferences
  'Unknown notification category "{category}"': 'فئة الإشعارات "{category}" غير معروفة',
  'Account notifications are essential and cannot be turned off': 'إشعارات الحساب أساسية ولا يمكن إيقافها',
  // Notifications
  'Notification not found': 'الإشعار غير موجود',
  '`after` must be the id of one of your notifications or of an event': 'يجب أن تكون قيمة `after` معرّف أحد إشعاراتك أو معرّف حدث',
  // Announcements
  "Only the course's teacher and school admins can announce to it": 'يرسل الإعلانات إلى الدورة معلمها ومديرو المدرسة فقط',
  'Unknown template "{templateKey}"': 'القالب "{templateKey}" غير موجود',
  'variables must be a JSON object': 'يجب أن تكون المتغيرات كائن JSON',
  'variables may have at most 50 keys': 'لا يجوز أن تزيد المتغيرات على 50 مفتاحًا',
  'variables names must be letters, digits or "_", at most 64 characters':
    'يجب أن تتكون أسماء المتغيرات من حروف إنجليزية أو أرقام أو "_"، بحد أقصى 64 حرفًا',
  'variables values must be at most 2000 characters': 'يجب ألا تزيد قيمة أي متغير على 2000 حرف',
  'variables values must be strings, numbers or booleans': 'يجب أن تكون قيم المتغيرات نصوصًا أو أرقامًا أو قيمًا منطقية',
  'channels must name 1 to 5 channels': 'يجب تحديد قناة واحدة على الأقل وخمس قنوات على الأكثر',
  'channels must not repeat a channel': 'يجب ألا تتكرر القناة نفسها',
  'scheduledAt must be a date': 'يجب أن يكون موعد الإرسال تاريخًا صحيحًا',
  'scheduledAt must not be in the past': 'يجب ألا يكون موعد الإرسال في الماضي',
  'scheduledAt must be at most a year ahead': 'يجب ألا يتجاوز موعد الإرسال سنة من الآن',
};
