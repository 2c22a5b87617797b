import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDate, formatDateTime, formatTime } from '../../web/src/i18n';

// 06:05 UTC is 14:05 in Beijing: the hotline's time, whatever the browser's zone
const moment = '2026-12-07T06:05:00.000Z';

test('a date and time reads 2026年12月7日 14:05 in Chinese and 2026-12-07 14:05 in English', () => {
  assert.equal(formatDateTime(moment, 'zh'), '2026年12月7日 14:05');
  assert.equal(formatDateTime(moment, 'en'), '2026-12-07 14:05');
});

test('a date alone has no time, and a bare day is that day rather than UTC midnight', () => {
  assert.equal(formatDate(moment, 'zh'), '2026年12月7日');
  assert.equal(formatDate(moment, 'en'), '2026-12-07');
  assert.equal(formatDate('2026-01-31', 'en'), '2026-01-31');
  assert.equal(formatDate('2026-01-31', 'zh'), '2026年1月31日');
});

test('late evening in UTC is already the next day in China, on a 24-hour clock', () => {
  assert.equal(formatDateTime('2026-12-31T16:30:00Z', 'en'), '2027-01-01 00:30');
  assert.equal(formatTime('2026-12-07T13:59:00Z'), '21:59');
});

test('no date shows nothing, and text that is no date is shown as it came', () => {
  assert.equal(formatDateTime(null, 'zh'), '');
  assert.equal(formatDateTime('soon', 'en'), 'soon');
});
