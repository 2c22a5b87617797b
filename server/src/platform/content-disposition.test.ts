import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'content-disposition';
import { attachment } from './content-disposition';

test('a plain ASCII name is a filename (quoted when needed); any other name adds filename* in UTF-8', () => {
  assert.equal(attachment('parameters.xlsx'), 'attachment; filename=parameters.xlsx');
  assert.equal(attachment('contribution-二〇九九版.xlsx'), `attachment; filename="contribution-?????.xlsx"; filename*=UTF-8''contribution-%E4%BA%8C%E3%80%87%E4%B9%9D%E4%B9%9D%E7%89%88.xlsx`);
  assert.equal(parse(attachment('a "b"; c.xlsx')).parameters.filename, 'a "b"; c.xlsx');
});

test('line breaks, other control characters and slashes never reach the header', () => {
  const header = attachment('2099\r\nSet-Cookie: a=b/../x\u0000.xlsx');
  assert.doesNotMatch(header, /[\r\n\0]/);
  assert.equal(parse(header).parameters.filename, '2099Set-Cookie: a=b_.._x.xlsx');
  assert.equal(attachment('\r\n'), 'attachment; filename=download');
});
