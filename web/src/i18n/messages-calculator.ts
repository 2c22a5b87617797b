/** Texts of the citizen's policy calculator result and its controls (kept apart from messages.ts for size). */
export const calculatorZh = {
  'calc.data': '详细数据',
  'calc.advanced': '高级选项',
  'calc.monthPlaceholder': '例如 1965-01',
  'calc.datePlaceholder': '例如 2026-01-01，默认今天',
};

export const calculatorEn: Record<keyof typeof calculatorZh, string> = {
  'calc.data': 'Detailed figures',
  'calc.advanced': 'Advanced options',
  'calc.monthPlaceholder': 'e.g. 1965-01',
  'calc.datePlaceholder': 'e.g. 2026-01-01; today by default',
};
