import { z } from 'zod';
import type { RuleType } from './model';

const phrases = z.array(z.string().trim().min(1).max(50)).max(200);

/** The parameters each kind of rule takes: validated when a supervisor saves a rule. */
export const PARAM_SCHEMAS = {
  greeting: z.object({ phrases: phrases.min(1) }),
  closing: z.object({ phrases: phrases.min(1) }),
  slow_reply: z.object({ seconds: z.number().int().min(5).max(3600) }),
  forbidden_words: z.object({ words: z.array(z.string().trim().min(1).max(30)).max(1000) }),
  knowledge_mismatch: z.object({ ignoreNumbers: z.array(z.string().trim().min(1).max(20)).max(100) }),
  promise: z.object({ phrases: phrases }),
  personal_data: z.object({}),
  handoff_loop: z.object({ transfers: z.number().int().min(2).max(20) }),
  close_data: z.object({ requireCategory: z.boolean(), requireSummary: z.boolean() }),
} satisfies Record<RuleType, z.ZodTypeAny>;

export type RuleParams<T extends RuleType> = z.infer<(typeof PARAM_SCHEMAS)[T]>;

interface DefaultRule {
  type: RuleType;
  name: string;
  description: string;
  weight: number;
  params: Record<string, unknown>;
}

/**
 * The rules created on first start (one per kind; the rule id is its kind). Weights follow the usual
 * 12333 service standard: manners cost a few points, wrong policy or leaked personal data cost most.
 */
export const DEFAULT_RULES: DefaultRule[] = [
  {
    type: 'greeting',
    name: '首句问候',
    description: '坐席的第一句回复应包含问候语。 / The agent’s first reply greets the citizen.',
    weight: 5,
    params: { phrases: ['您好', '你好', '很高兴为您服务', '很高兴为你服务', '欢迎咨询', '早上好', '下午好', '晚上好'] },
  },
  {
    type: 'closing',
    name: '结束语',
    description: '坐席的最后一句回复应包含结束语。 / The agent’s last reply closes politely.',
    weight: 5,
    params: { phrases: ['还有其他问题', '还有什么可以帮您', '还有别的问题', '感谢您的来电', '感谢您的咨询', '祝您生活愉快', '祝您愉快', '再见'] },
  },
  {
    type: 'slow_reply',
    name: '回复超时',
    description: '群众发言后坐席超过规定秒数才回复（每次回复单独计）。 / A reply came later than N seconds after the citizen wrote (each reply).',
    weight: 3,
    params: { seconds: 60 },
  },
  {
    type: 'forbidden_words',
    name: '禁语',
    description: '坐席使用了禁用或不文明用语（识别全角半角、字间空格或符号、常见拼音与谐音写法）。 / Forbidden or rude phrases, also written with spaces, symbols, full-width letters, pinyin or homophones.',
    weight: 20,
    params: {
      words: [
        '不知道', '不归我管', '关我什么事', '关我啥事', '你烦不烦', '烦不烦', '听不懂吗', '听不懂人话', '我不是说了吗', '说了多少遍',
        '爱办不办', '爱咋咋地', '自己去查', '自己看去', '没空', '找领导去', '你去投诉吧', '有本事去告', '你有病', '神经病', '白痴',
        '笨蛋', '蠢', '傻逼', '煞笔', '沙比', 'shabi', 'sb', '妈的', '他妈', 'tmd', 'nmd', '滚蛋', '滚开', '闭嘴', '废话',
      ],
    },
  },
  {
    type: 'knowledge_mismatch',
    name: '答复与知识不符',
    description: '回复引用了知识条目，但其中的数字（金额、比例、年份、月数）在该条目当前发布版本里没有，或条目已不再发布。 / A reply citing an entry states numbers the entry’s published answer does not contain, or the entry is no longer published.',
    weight: 15,
    params: { ignoreNumbers: ['12333'] },
  },
  {
    type: 'promise',
    name: '违规承诺',
    description: '坐席做出知识库没有依据的承诺（保证、一定能、肯定给您办，或未引用知识的金额）。 / Promises outside policy: guarantees or sums of money with no support in the cited entry.',
    weight: 15,
    params: { phrases: ['保证', '一定能', '一定可以', '肯定能', '肯定可以', '肯定给您办', '包您', '绝对能', '绝对没问题', '百分之百'] },
  },
  {
    type: 'personal_data',
    name: '明文个人信息',
    description: '坐席消息中出现未脱敏的身份证号、手机号、银行卡号或固定电话。 / The agent typed an ID, phone or card number in clear.',
    weight: 20,
    params: {},
  },
  {
    type: 'handoff_loop',
    name: '反复转接',
    description: '同一会话被转接达到规定次数。 / The conversation was transferred back and forth this many times.',
    weight: 10,
    params: { transfers: 3 },
  },
  {
    type: 'close_data',
    name: '结束小结缺失',
    description: '结束会话时未填写分类或小结。 / The conversation was closed without a category or summary.',
    weight: 5,
    params: { requireCategory: true, requireSummary: true },
  },
];

/** Validates a rule's parameters for its kind; throws the zod error for the route to report. */
export function parseParams(type: RuleType, params: unknown): Record<string, unknown> {
  return PARAM_SCHEMAS[type].parse(params) as Record<string, unknown>;
}
