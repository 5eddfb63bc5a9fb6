/** Arabic for the messages of the users subgraph (see ../translate.ts for the format). */
export const users: Record<string, string> = {
  'A school (tenant) is required to log in': 'يلزم تحديد المدرسة لتسجيل الدخول',
  'Invalid email or password': 'البريد الإلكتروني أو كلمة المرور غير صحيحة',
  'Invalid school slug': 'معرِّف المدرسة غير صالح',
  'Invitation is invalid, expired or already accepted': 'الدعوة غير صالحة أو منتهية أو قُبلت من قبل',
  "Not allowed to see this student's guardians": 'غير مسموح لك برؤية أولياء أمور هذا الطالب',
  'Only a parent account can pair with a student': 'يمكن لحساب ولي الأمر فقط الارتباط بطالب',
  'Only a platform admin can grant PLATFORM_ADMIN': 'يمنح دور PLATFORM_ADMIN مديرُ المنصة فقط',
  'Only school admins and teachers can list people': 'يعرض قائمة الأشخاص مديرو المدرسة والمعلمون فقط',
  'Only school admins can invite people': 'يدعو الأشخاصَ مديرو المدرسة فقط',
  "Only the parent and school admins can see a parent's children": 'يرى أبناءَ ولي الأمر ولي الأمر نفسه ومديرو المدرسة فقط',
  'Only the student or a school admin can create a pairing code': 'ينشئ رمز الارتباط الطالب نفسه أو مدير المدرسة فقط',
  'Pairing code is invalid, expired or already used': 'رمز الارتباط غير صالح أو منتهٍ أو مستخدم من قبل',
  'Password must be {PASSWORD_MIN} to {PASSWORD_MAX} characters long': 'يجب أن تتكون كلمة المرور من {PASSWORD_MIN} إلى {PASSWORD_MAX} حرفًا',
  'Refresh token is invalid, expired or already used': 'رمز التجديد غير صالح أو منتهٍ أو مستخدم من قبل',
  'Student not found': 'الطالب غير موجود',
  '{email} is already a member of this school': '{email} عضو في هذه المدرسة بالفعل',
};
