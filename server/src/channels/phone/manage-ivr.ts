import type { Actor } from '../../identity/permissions';
import { actorLabel } from '../../identity/permissions';
import type { AppContext } from '../../platform/context';
import { conflict } from '../../platform/errors';
import { defaultIvrTree, validateIvrTree } from './ivr-menu';
import { phoneRepo, type IvrVersion } from './repo';
import type { IvrTree } from './schema';

/**
 * The IVR tree in force (or a given version of it, for a call that started on it). On first use the
 * default tree is stored as version 1, so every instance serves the same one.
 */
export async function loadIvrTree(ctx: AppContext, version?: number): Promise<IvrVersion> {
  const repo = phoneRepo(ctx.db);
  const wanted = version !== undefined ? await repo.treeVersion(version) : undefined;
  if (wanted) return wanted;
  const latest = await repo.latestTree();
  if (latest) return latest;
  // another instance may store it at the same moment: then its row is the one read back
  await repo.insertTree(1, defaultIvrTree(), 'system');
  return (await repo.latestTree())!;
}

/**
 * Saves an edited tree as a new version after checking it (validateIvrTree). The editor names the
 * version they started from; a newer one saved meanwhile is not overwritten (409).
 */
export async function saveIvrTree(ctx: AppContext, actor: Actor, input: { tree: IvrTree; baseVersion: number }, entryExists: (entryId: string) => boolean): Promise<IvrVersion> {
  validateIvrTree(input.tree, entryExists);
  const repo = phoneRepo(ctx.db);
  const current = await loadIvrTree(ctx);
  if (current.version !== input.baseVersion) {
    throw conflict('stale_version', { zh: `语音导航已被他人修改（当前版本 ${current.version}），请刷新后再改`, en: 'changed by someone else meanwhile; reload first' });
  }
  const version = current.version + 1;
  if (!(await repo.insertTree(version, input.tree, actorLabel(actor)))) {
    throw conflict('stale_version', { zh: '语音导航已被他人修改，请刷新后再改', en: 'changed by someone else meanwhile; reload first' });
  }
  await ctx.audit.record(actor, { action: 'phone.ivr.saved', subjectType: 'ivr', subjectId: String(version), detail: { nodes: input.tree.nodes.length } });
  return (await repo.treeVersion(version))!;
}
