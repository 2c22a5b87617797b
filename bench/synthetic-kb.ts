import { readSeedBundle } from '../server/src/knowledge/seed-knowledge';
import type { TransferBundle } from '../server/src/knowledge/transfer-format';

import { seededRandom } from '../server/src/platform/seeded-random';

const REGIONS = ['北京', '上海', '广州', '深圳', '杭州', '成都', '武汉', '西安', '南京', '重庆', '天津', '苏州', '郑州', '长沙', '沈阳', '青岛', '济南', '合肥', '福州', '昆明'];
const GROUPS = ['灵活就业人员', '农民工', '退役军人', '高校毕业生', '外籍人员', '个体工商户', '企业职工', '机关事业单位人员', '残疾人', '港澳台居民'];

/**
 * The seed KB plus synthetic entries up to `size`: real questions recombined with regions and
 * groups of callers, so the vocabulary and its frequencies look like a real, larger KB.
 */
export function syntheticBundle(size: number, seed = 12333): TransferBundle {
  const base = readSeedBundle();
  const random = seededRandom(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const entries = [...base.entries];
  for (let n = 1; entries.length < size; n++) {
    const a = pick(base.entries);
    const b = pick(base.entries);
    const region = pick(REGIONS);
    const group = pick(GROUPS);
    entries.push({
      ...a,
      id: `syn-${n}`,
      question: `${region}${group}${a.question.replace(/[？?]$/, '')}，${b.keywords[0] ?? ''}怎么办理？`,
      similar: a.similar.slice(0, 3).map((s) => `${region}${s}`),
      keywords: [...new Set([...a.keywords.slice(0, 3), ...b.keywords.slice(0, 2), region])],
      answer: `${region}${group}：${a.answer.slice(0, 300)}\n\n${b.answer.slice(0, 200)}`,
      audience: random() < 0.07 ? 'staff' : 'public',
    });
  }
  return { categories: base.categories, entries };
}
