/** Arabic for the messages of the analytics subgraph and the facts export (see ../translate.ts for the format). */
export const analytics: Record<string, string> = {
  "Only the school's admins and the course's teacher may read its analytics": 'يطّلع على إحصاءات الدورة مديرو المدرسة ومعلم الدورة فقط',
  "Only the school's admins may read its analytics": 'يطّلع على إحصاءات المدرسة مديروها فقط',
  "Only the school's admins and its teachers may export reports": 'يصدّر التقارير مديرو المدرسة ومعلموها فقط',
  "Payments reports are for the school's admins only": 'تقارير المدفوعات لمديري المدرسة فقط',
  '{field} is not a valid date and time': '{field} ليس تاريخًا ووقتًا صالحين',
  '{field} must be between the years 2000 and 2099': 'يجب أن يقع {field} بين عامي 2000 و2099',
  'from must be before to': 'يجب أن يسبق from قيمة to',
  'A report covers at most {MAX_WINDOW_DAYS} days': 'يغطي التقرير {MAX_WINDOW_DAYS} يومًا على الأكثر',
  'You already have {length} reports being prepared; wait until one is ready before asking for another':
    'لديك {length} تقارير قيد الإعداد؛ انتظر حتى يجهز أحدها قبل طلب تقرير آخر',
  'The facts export is for services only, not for a request made for a person or a school':
    'تصدير الحقائق للخدمات فقط، لا لطلب مقدَّم باسم شخص أو مدرسة',
  'school must be a school id (UUID)': 'يجب أن تكون school معرّف مدرسة (UUID)',
  'The facts export failed': 'فشل تصدير الحقائق',
};
