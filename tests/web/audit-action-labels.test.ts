import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { auditActionKey, subjectKindLabel } from '../../web/src/console/audit-labels';
import { en, zh, type MessageKey } from '../../web/src/i18n/messages';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server/src');

/** Actions written from a template literal, with every value the template can take; a new template must be listed here. */
const TEMPLATE_ACTIONS: Record<string, string[]> = {
  'phone.callback.${outcome.status}': ['phone.callback.done', 'phone.callback.failed'], // outcomeBody: done | failed
  'suggestion.${input.decision}ed': ['suggestion.accepted', 'suggestion.rejected'], // decision: accept | reject
};

function sourceFiles(dir: string, out: string[] = []) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sourceFiles(full, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

/** Every action code the server passes to the audit log: quoted literals (ternaries too) and known templates. */
function serverAuditCodes() {
  const actions = new Set<string>();
  const subjects = new Set<string>();
  const unknownTemplates: string[] = [];
  for (const file of sourceFiles(serverDir)) {
    const source = readFileSync(file, 'utf8');
    if (!source.includes('audit.record(')) continue;
    for (const match of source.matchAll(/\baction:\s*`([^`]+)`/g)) {
      if (TEMPLATE_ACTIONS[match[1]]) for (const a of TEMPLATE_ACTIONS[match[1]]) actions.add(a);
      else unknownTemplates.push(`${path.relative(serverDir, file)}: ${match[1]}`);
    }
    for (const match of source.matchAll(/\baction:\s*((?:[^,}\n'`]|'[^'\n]*')+)/g)) {
      for (const literal of match[1].matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)) actions.add(literal[1]);
    }
    for (const match of source.matchAll(/\bsubjectType:\s*'([a-z_]+)'/g)) subjects.add(match[1]);
  }
  return { actions: [...actions].sort(), subjects: [...subjects].sort(), unknownTemplates };
}

const written = serverAuditCodes();

test('the scan finds the server’s audit actions (a broken scan would pass every check below)', () => {
  assert.ok(written.actions.length > 50, `only ${written.actions.length} actions found`);
  for (const known of ['records.unmask', 'auth.login', 'entry.published', 'category.updated', 'phone.callback.done']) assert.ok(written.actions.includes(known), known);
  assert.deepEqual(written.unknownTemplates, [], 'an action built from a template: list its values in TEMPLATE_ACTIONS');
});

test('every action the server writes to the audit log has words in Chinese and English', () => {
  const unlabelled = written.actions.filter((action) => !auditActionKey(action));
  assert.deepEqual(unlabelled, [], 'add audit.action.<code> to web/src/i18n/messages-audit.ts');
  for (const action of written.actions) {
    const key = auditActionKey(action)!;
    assert.notEqual(zh[key], en[key], `${action}: the same text in both languages`);
  }
});

test('every kind of subject the server writes is named in words', () => {
  const t = (key: MessageKey) => zh[key];
  const unnamed = written.subjects.filter((type) => subjectKindLabel(t, type) === type);
  assert.deepEqual(unnamed, [], 'add audit.subject.<type> to web/src/i18n/messages-audit.ts');
});
