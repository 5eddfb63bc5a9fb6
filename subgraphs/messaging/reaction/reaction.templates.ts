import { Channel } from '../notification/notification.entity';
import type { DefaultTemplate } from '../notification/template/default-template';

/**
 * The built-in templates of the notifications the reactions send (reaction/*.consumer.ts). Numbers,
 * amounts and dates arrive already formatted for the recipient's language (format.ts), so a
 * template only places them. Secret variables (`token`, `link`, `code`) are sealed until delivery
 * (notify's `secretVariables`); the in-app versions of secret messages leave them out, because an
 * in-app notification keeps its rendered body in the database.
 */
export const reactionTemplates: DefaultTemplate[] = [
  // --- payment.succeeded → the payer ---
  {
    key: 'payment.receipt',
    locale: 'AR',
    subject: 'تم استلام دفعتك',
    text: 'استلمنا مبلغ {{amount}} الخاص بـ{{studentName}} عبر {{provider}} بتاريخ {{paidAt}}. شكرًا لك.',
  },
  {
    key: 'payment.receipt',
    locale: 'EN',
    subject: 'Payment received',
    text: 'We received {{amount}} for {{studentName}} through {{provider}} on {{paidAt}}. Thank you.',
  },

  // --- enrollment.created → the student ---
  {
    key: 'enrollment.welcome',
    locale: 'AR',
    subject: '{{#if courseTitle}}أهلًا بك في «{{courseTitle}}»{{else}}أهلًا بك في مادتك الجديدة{{/if}}',
    text: 'تم تسجيلك في {{#if courseTitle}}مادة «{{courseTitle}}»{{else}}مادة جديدة{{/if}}. نتمنى لك رحلة تعلّم موفقة!',
  },
  {
    key: 'enrollment.welcome',
    locale: 'EN',
    subject: '{{#if courseTitle}}Welcome to {{courseTitle}}{{else}}Welcome to your new course{{/if}}',
    text: 'You are now enrolled in {{#if courseTitle}}{{courseTitle}}{{else}}a new course{{/if}}. Enjoy your learning!',
  },

  // --- live sessions → the course's students and their guardians ---
  {
    key: 'live.reminder',
    locale: 'AR',
    subject: 'الحصة المباشرة تبدأ قريبًا',
    text: 'تذكير: تبدأ حصة «{{sessionTitle}}» المباشرة في مادة {{courseTitle}} الساعة {{startsAt}}.',
  },
  {
    key: 'live.reminder',
    locale: 'EN',
    subject: 'Live session starting soon',
    text: 'Reminder: the live session "{{sessionTitle}}" ({{courseTitle}}) starts at {{startsAt}}.',
  },
  {
    key: 'live.rescheduled',
    locale: 'AR',
    subject: 'تغيير موعد حصة مباشرة',
    text: 'تم تغيير موعد حصة «{{sessionTitle}}» في مادة {{courseTitle}} من {{previousStartsAt}} إلى {{startsAt}}.',
  },
  {
    key: 'live.rescheduled',
    locale: 'EN',
    subject: 'Live session moved',
    text: '"{{sessionTitle}}" ({{courseTitle}}) has moved from {{previousStartsAt}} to {{startsAt}}.',
  },
  {
    key: 'live.canceled',
    locale: 'AR',
    subject: 'إلغاء حصة مباشرة',
    text: 'تم إلغاء حصة «{{sessionTitle}}» في مادة {{courseTitle}} التي كانت مقررة {{startsAt}}.{{#if reason}} السبب: {{reason}}{{/if}}',
  },
  {
    key: 'live.canceled',
    locale: 'EN',
    subject: 'Live session canceled',
    text: '"{{sessionTitle}}" ({{courseTitle}}), planned for {{startsAt}}, has been canceled.{{#if reason}} Reason: {{reason}}{{/if}}',
  },

  // --- live.attendance ABSENT → the student's guardians ---
  {
    key: 'attendance.absent',
    locale: 'AR',
    subject: 'غياب عن حصة مباشرة',
    text: 'سُجّل غياب {{studentName}} عن {{sessionTitle}}.',
  },
  {
    key: 'attendance.absent',
    locale: 'EN',
    subject: 'Absent from a live session',
    text: '{{studentName}} was absent from {{sessionTitle}}.',
  },

  // --- quiz.submitted → the student's guardians ---
  {
    key: 'quiz.result',
    locale: 'AR',
    subject: 'نتيجة اختبار {{studentName}}',
    text: 'نتيجة {{studentName}} في اختبار مادة {{courseTitle}}: {{score}} من {{maxScore}} ({{percent}}).',
  },
  {
    key: 'quiz.result',
    locale: 'EN',
    subject: "{{studentName}}'s quiz result",
    text: '{{studentName}} scored {{score}} out of {{maxScore}} ({{percent}}) in a {{courseTitle}} quiz.',
  },

  // --- invitation.created → the invitee (no account yet) ---
  {
    key: 'account.invitation',
    locale: 'AR',
    subject: 'دعوة للانضمام إلى المنصة',
    text: 'أهلًا {{name}}،\nوصلتك دعوة من {{inviterName}} للانضمام إلى مدرستك على منصة المنصّة. لإنشاء حسابك افتح الرابط التالي قبل {{expiresAt}}:\n{{link}}\nإذا لم تكن تتوقع هذه الدعوة فتجاهل هذه الرسالة.',
  },
  {
    key: 'account.invitation',
    locale: 'EN',
    subject: 'You are invited to El-Manassa',
    text: 'Hello {{name}},\n{{inviterName}} invited you to join the school on El-Manassa. Open this link before {{expiresAt}} to create your account:\n{{link}}\nIf you did not expect this invitation, ignore this message.',
  },

  // --- pairing.code.created → the student (in-app without the code, email with it) ---
  {
    key: 'account.pairing-code',
    locale: 'AR',
    subject: 'رمز ربط ولي الأمر',
    text: 'رمز ربط ولي الأمر بحسابك هو: {{code}}\nيصلح حتى {{expiresAt}}. لا تشاركه إلا مع ولي أمرك.',
  },
  {
    key: 'account.pairing-code',
    locale: 'EN',
    subject: 'Your parent pairing code',
    text: 'The code that pairs a parent with your account is: {{code}}\nIt is valid until {{expiresAt}}. Give it to your parent only.',
  },
  {
    key: 'account.pairing-code',
    locale: 'AR',
    channel: Channel.IN_APP,
    subject: 'رمز ربط ولي الأمر',
    text: 'تم إنشاء رمز لربط ولي أمرك بحسابك، وأرسلناه إلى بريدك الإلكتروني. يصلح حتى {{expiresAt}}.',
  },
  {
    key: 'account.pairing-code',
    locale: 'EN',
    channel: Channel.IN_APP,
    subject: 'Your parent pairing code',
    text: 'A code to pair your parent with your account was created and sent to your email. It is valid until {{expiresAt}}.',
  },

  // --- password.reset.requested → the account's email ---
  {
    key: 'account.password-reset',
    locale: 'AR',
    subject: 'إعادة تعيين كلمة المرور',
    text: 'طلب أحدهم إعادة تعيين كلمة مرور حسابك. لتعيين كلمة مرور جديدة افتح الرابط التالي قبل {{expiresAt}}:\n{{link}}\nإذا لم تطلب ذلك فتجاهل هذه الرسالة، وستبقى كلمة مرورك كما هي.',
  },
  {
    key: 'account.password-reset',
    locale: 'EN',
    subject: 'Reset your password',
    text: 'Someone asked to reset the password of your account. Open this link before {{expiresAt}} to choose a new one:\n{{link}}\nIf it was not you, ignore this message: your password stays as it is.',
  },

  // --- password.changed → the person ---
  {
    key: 'account.password-changed',
    locale: 'AR',
    subject: 'تم تغيير كلمة المرور',
    text: 'تم تغيير كلمة مرور حسابك بتاريخ {{when}}، وتم تسجيل الخروج من أجهزتك الأخرى. إذا لم تقم بذلك فتواصل مع إدارة المدرسة فورًا.',
  },
  {
    key: 'account.password-changed',
    locale: 'EN',
    subject: 'Your password was changed',
    text: 'The password of your account was changed on {{when}} and your other devices were signed out. If it was not you, contact your school at once.',
  },
];
