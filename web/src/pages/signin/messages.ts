import { defineMessages } from '../../i18n/i18n';

export const messages = defineMessages(
  {
    title: 'Sign in to your school',
    school: 'School',
    schoolHint: 'Your school’s short name, e.g. demo',
    email: 'Email',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    errorUNAUTHENTICATED: 'The email or password is wrong.',
    errorTENANT_NOT_FOUND: 'There is no school with that name.',
    errorBAD_USER_INPUT: 'Check the school, email and password.',
  },
  {
    title: 'تسجيل الدخول إلى مدرستك',
    school: 'المدرسة',
    schoolHint: 'الاسم المختصر لمدرستك، مثل demo',
    email: 'البريد الإلكتروني',
    password: 'كلمة المرور',
    submit: 'تسجيل الدخول',
    submitting: 'جارٍ تسجيل الدخول…',
    errorUNAUTHENTICATED: 'البريد الإلكتروني أو كلمة المرور غير صحيحة.',
    errorTENANT_NOT_FOUND: 'لا توجد مدرسة بهذا الاسم.',
    errorBAD_USER_INPUT: 'تحقق من المدرسة والبريد الإلكتروني وكلمة المرور.',
  },
);
