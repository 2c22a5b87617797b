import { isFreshlyVerified } from '../../../common/citizen-records';
import { idNumberFacts } from '../../../common/id-number';
import type { Actor, ChannelIdentity } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { now } from '../platform/ids';
import { normalizeText } from '../text/normalize-text';
import { presentApplication } from './presenter';
import { PERSON_SUBJECT } from './read-record';
import type { PersonRecord } from './model';
import type { RecordSource } from './record-source';
import { recordsRepo } from './repo';
import { pensionAccount } from './pension-account';
import { summarizeRuns } from './summarize-record';

export type PersonalQuestion = 'paid_years' | 'account' | 'applications';

const SELF = '(我|俺|本人|自己|咱)';
/**
 * Questions about one's own record, in callers' words. Deliberately narrow: "交15年能领多少" is a
 * calculation and "缴费年限怎么查" a how-to the knowledge base answers; only "how many years have I
 * paid", "how much is in my account", "where is my application" are the record's to answer.
 */
const PATTERNS: [PersonalQuestion, RegExp][] = [
  ['paid_years', new RegExp(`${SELF}.{0,8}(交|缴|缴纳|缴费|买|上)了?(社保|养老保险|保险)?.{0,3}(几|多少)(年|个月)|${SELF}的?(社保|养老保险)?(缴费|交费)(年限|年数|月数)(是|有)?(多少|几)|${SELF}.{0,6}(社保|养老保险).{0,4}(交|缴)(够|满)?了?(几|多少)年`)],
  ['account', new RegExp(`${SELF}的?.{0,6}(个人账户|个账|养老账户|账户).{0,8}(多少|余额|几)`)],
  ['applications', new RegExp(`${SELF}的?.{0,10}(申请|业务|手续|社保卡|补卡|转移|退休).{0,8}(办到|到哪|进度|哪一步|怎么样了|办好了|好了没|批了没|批下来|审核到)`)],
];

/** Which of the record's questions a message asks, if any. */
export function personalQuestionOf(text: string): PersonalQuestion | undefined {
  const compact = normalizeText(text).compact;
  if (/(能|可以)(领|拿)多少|(怎么|咋|如何|在哪)(查|看)|算一算|帮我算/.test(compact)) return undefined;
  return PATTERNS.find(([, pattern]) => pattern.test(compact))?.[0];
}

const years = (months: number) => (months >= 12 ? `${Math.floor(months / 12)}年${months % 12 ? `${months % 12}个月` : ''}` : `${months}个月`);

const SIGN_IN = '这是您本人的参保信息，需要先核实身份。请点击页面上方的「我的社保」，用身份证号和手机验证码登录后再问我，我就能直接告诉您；也可以在「我的社保」里查看全部缴费明细。';
const STEP_UP = '为保护您的个人信息，请在「我的社保」中再次输入短信验证码，然后再问我。';

/**
 * The robot's answer to a question about the citizen's own record: from the record when they are
 * signed in and recently verified (and the read is audited like any other), else how to sign in.
 */
export function personalRecordsAnswers(ctx: AppContext, source: RecordSource, bindingLink?: (identity: ChannelIdentity) => Promise<{ url: string; minutesValid: number }>) {
  const repo = recordsRepo(ctx.db, ctx.secrets);
  return {
    async answer(actor: Actor, text: string) {
      const kind = personalQuestionOf(text);
      if (!kind) return undefined;
      if (actor.kind === 'anonymous' && actor.channelIdentity && bindingLink) {
        // on WeChat and the like: a one-time link binds this follower to whoever signs in with it
        const link = await bindingLink(actor.channelIdentity);
        return { kind, text: `这是您本人的参保信息，需要先核实身份。请在${link.minutesValid}分钟内打开下面的链接，用身份证号和手机验证码登录并绑定，之后在这里就能直接查询：\n${link.url}`, needsSignIn: true };
      }
      if (actor.kind !== 'citizen') return { kind, text: SIGN_IN, needsSignIn: true };
      if (!isFreshlyVerified(actor.verifiedAt, now())) return { kind, text: STEP_UP, needsSignIn: true };
      const person = await repo.personById(actor.personId);
      if (!person) return { kind, text: '没有查到您的参保记录。如有疑问，请回复“转人工”。', needsSignIn: false };
      await ctx.audit.record(actor, { action: 'records.self_read', subjectType: PERSON_SUBJECT, subjectId: person.id, detail: { what: `robot:${kind}` } });
      return { kind, text: await answerFor(kind, person), needsSignIn: false };
    },
    factsOf,
  };

  /** Facts for the calculators from a recently verified citizen's record (the read is audited). */
  async function factsOf(actor: Actor) {
    if (actor.kind !== 'citizen' || !isFreshlyVerified(actor.verifiedAt, now())) return undefined;
    const person = await repo.personById(actor.personId);
    if (!person) return undefined;
    await ctx.audit.record(actor, { action: 'records.self_read', subjectType: PERSON_SUBJECT, subjectId: person.id, detail: { what: 'robot:calculator' } });
    const { birthDate, sex } = idNumberFacts(person.idNumber);
    const summary = summarizeRuns(await source.runsOf(person));
    return {
      gender: sex,
      birthYear: Number(birthDate.slice(0, 4)),
      birthMonth: Number(birthDate.slice(5, 7)),
      // whole years and tenths: 14年9个月 → 14.7
      contributionYears: Math.floor((summary.pension.paidMonths / 12) * 10) / 10,
      unemploymentMonths: summary.unemployment.paidMonths || undefined,
    };
  }

  async function answerFor(kind: PersonalQuestion, person: PersonRecord): Promise<string> {
    if (kind === 'applications') {
      const apps = (await source.applicationsOf(person)).map(presentApplication);
      if (!apps.length) return '目前没有查到您的业务办理记录。';
      const lines = apps.slice(0, 5).map((a) => `- ${a.id}（${APPLICATION_NAMES[a.type] ?? a.type}）：${a.status}，更新于${a.updatedAt.slice(0, 10)}`);
      return `您的业务办理进度：\n${lines.join('\n')}\n\n每一步的时间线可在「我的社保 › 业务进度」查看。`;
    }
    const runs = await source.runsOf(person);
    if (kind === 'account') {
      const { balance } = pensionAccount(runs, now());
      return `您的养老保险个人账户累计储存额约为 ${balance.toFixed(2)} 元（含已记入的利息，当年利息于年末记入）。逐年明细可在「我的社保 › 个人账户」查看。`;
    }
    const s = summarizeRuns(runs);
    const pension = s.pension;
    const arrears = pension.arrearsMonths ? `；另有 ${pension.arrearsMonths} 个月单位欠缴，补缴后才计入` : '';
    return `您的养老保险累计实际缴费 ${years(pension.paidMonths)}（共 ${pension.paidMonths} 个月${arrears}）。医疗保险累计 ${years(s.medical.paidMonths)}，失业保险累计 ${years(s.unemployment.paidMonths)}。按月明细和断缴月份可在「我的社保 › 缴费记录」查看。`;
  }
}

const APPLICATION_NAMES: Record<string, string> = {
  retirement: '退休申请',
  unemployment_benefit: '失业保险金申领',
  card_replacement: '社保卡补换',
  transfer: '关系转移',
  injury_recognition: '工伤认定',
};
