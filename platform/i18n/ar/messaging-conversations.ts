/** Arabic for the messages of the messaging subgraph's conversations (see ../translate.ts for the format). */
export const messagingConversations: Record<string, string> = {
  // gateway/edge/webhooks.ts: Twilio's status callbacks with no messaging subgraph to forward them to.
  'Message status callbacks are not served here': 'تقارير حالة الرسائل لا تُخدم هنا',

  // subgraphs/messaging/conversation/
  'Conversation not found': 'المحادثة غير موجودة',
  'A participant was not found': 'أحد المشاركين غير موجود',
  'Only the people of a conversation can write in it or mark it read': 'لا يكتب في المحادثة أو يعلّمها مقروءة إلا المشاركون فيها',
  'Only parents, teachers and school admins can start conversations': 'بدء المحادثات متاح لأولياء الأمور والمعلمين ومديري المدرسة فقط',
  'You cannot start a conversation with some of these people': 'لا يمكنك بدء محادثة مع بعض هؤلاء الأشخاص',
  'A conversation about a student is only between their parents, their teachers and school admins':
    'المحادثة عن طالب تكون بين أولياء أمره ومعلميه ومديري المدرسة فقط',
  'The subject must not be blank': 'يجب ألا يكون الموضوع فارغًا',
  'The subject must be at most {subject} characters': 'يجب ألا يزيد الموضوع على {subject} حرفًا',
  'The message must not be blank': 'يجب ألا تكون الرسالة فارغة',
  'The message must be at most {body} characters': 'يجب ألا تزيد الرسالة على {body} حرف',
  'participantIds must not repeat a person': 'يجب ألا يتكرر أي شخص في participantIds',
  'participantIds are the other people: leave yourself out': 'participantIds هم الأشخاص الآخرون: لا تُدرج نفسك',
  'A conversation has 1 to {others} other people': 'تضم المحادثة من شخص واحد إلى {others} أشخاص آخرين',
  '`after` must be the id of a message of this conversation': 'يجب أن تكون قيمة `after` معرّف رسالة من هذه المحادثة',
};
