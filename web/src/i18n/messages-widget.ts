/** Texts of the chat widget's elderly mode, read-aloud and dialog (issue 15; the older widget texts are in messages.ts). */
export const widgetZh = {
  'widget.elder': '大字',
  'widget.elderHint': '放大文字和按钮，提高对比度',
  'widget.readAloud': '朗读',
  'widget.stopReading': '停止',
  'widget.messages': '对话内容',
};

export const widgetEn: Record<keyof typeof widgetZh, string> = {
  'widget.elder': 'Large text',
  'widget.elderHint': 'Larger text and buttons, higher contrast',
  'widget.readAloud': 'Read aloud',
  'widget.stopReading': 'Stop',
  'widget.messages': 'Conversation',
};
