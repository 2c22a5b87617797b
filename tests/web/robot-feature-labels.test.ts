import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FEATURE_NAMES } from '../../server/src/robot/match-index';
import { ROBOT_FEATURE_LABELS } from '../../web/src/console/robot-features';
import { en, zh } from '../../web/src/i18n/messages';

// the robot's explanation returns one value per FEATURE_NAMES entry for every candidate
test('every feature in the robot test box is named in words in Chinese and in English', () => {
  const unnamed = FEATURE_NAMES.filter((name) => !ROBOT_FEATURE_LABELS[name]);
  assert.deepEqual(unnamed, [], 'features the server returns with no label in web/src/console/robot-features.ts');
  for (const name of FEATURE_NAMES) {
    const key = ROBOT_FEATURE_LABELS[name];
    assert.ok(zh[key] && zh[key] !== name && /[\u4e00-\u9fff]/.test(zh[key]), `${name}: Chinese label`);
    assert.ok(en[key] && en[key] !== name && !/[\u4e00-\u9fff]/.test(en[key]), `${name}: English label`);
  }
});

test('no two features share a label, so the test box never shows the same name twice', () => {
  for (const dictionary of [zh, en]) {
    const labels = FEATURE_NAMES.map((name) => dictionary[ROBOT_FEATURE_LABELS[name]]);
    assert.equal(new Set(labels).size, labels.length);
  }
});
