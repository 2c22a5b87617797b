// Rule-level intents that are independent of the knowledge base: hand-off requests, anger,
// referrals to other hotlines, greetings, clarify choices. Input is normalised text.

const HOW_TO = /(怎么|怎样|如何|咋|按几|按哪|哪个键|几号键|按什么|什么键|流程|方法|步骤|多久|时间)/;
const HANDOFF = /(转|接|找|要|换|叫|让)(个|一个|一下)?(人工|真人|活人|客服|坐席|接线员|工作人员|话务员)|人工(客服|服务|坐席|接听|来|帮)|^(人工|真人|客服|坐席)$|不要(跟)?机器人|(跟|和|同)(真)?人(说话|聊|沟通)|你们领导|有没有人(在|吗)?/;
const ANGER = /(垃圾|废物|破机器|破系统|什么破|傻[逼b]|sb|tmd|他妈|妈的|滚|有病|骗子|气死|投诉你们|投诉你|没用的东西|听不懂人话|答非所问|一点用都没有|太差劲|烦死了|去死)/;

/** Explicit request for a human agent (not a question about how to reach one). */
export function wantsHuman(text: string): boolean {
  const t = text.replace(/ /g, '');
  if (!HANDOFF.test(t)) return false;
  if (HOW_TO.test(t) && !/^(我要|给我|请|帮我|麻烦)/.test(t)) return false;
  return true;
}

export function isAngry(text: string): boolean {
  const t = text.replace(/ /g, '');
  return ANGER.test(t) || /[!！]{3,}/.test(text);
}

export interface Referral {
  topic: string;
  hotline: string;
  agency: string;
}
const REFERRALS: { re: RegExp; r: Referral }[] = [
  { re: /公积金|住房金|住房贷款|房贷|购房/, r: { topic: '住房公积金', hotline: '12329', agency: '住房公积金管理中心' } },
  { re: /个税|个人所得税|所得税|汇算|专项附加扣除|退税|纳税|发票/, r: { topic: '个人所得税等税务问题', hotline: '12366', agency: '税务部门' } },
  { re: /医保|医疗保险|医疗保障|报销|门诊|住院|药店|医保卡|就医|看病/, r: { topic: '医疗保障（医保）', hotline: '12393', agency: '医疗保障部门' } },
];
export function referralFor(text: string): Referral | null {
  const t = text.replace(/ /g, '');
  for (const { re, r } of REFERRALS) if (re.test(t)) return r;
  return null;
}

export function isGreeting(text: string): boolean {
  return /^(你好|您好|hi|hello|在吗|在不在|有人吗|早上好|下午好|晚上好|嗨|喂|哈喽)+(呀|啊|哇|吗)?$/.test(text.replace(/ /g, ''));
}

const CN_NUM: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, '1': 1, '2': 2, '3': 3 };
/** "2" / "第二个" / "选3" → 1-based option number; null if not a choice. */
export function parseChoice(text: string): number | null {
  const t = text.replace(/ /g, '');
  const m = t.match(/^(选|选择|就|是)?(第)?([123一二两三])(个|条|项|号)?(吧|的|问题)?$/);
  return m ? CN_NUM[m[3]] : null;
}

export function isNegative(text: string): boolean {
  return /^(都不是|都不对|不是|没有|不对|都没有|以上都不是|不是这个)/.test(text.replace(/ /g, ''));
}
