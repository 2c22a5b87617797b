import assert from 'node:assert/strict';
import { it } from 'node:test';
import { maskIdNumber, maskPersonalData, maskPhone } from '../../../common/masking';

it('masks ID and mobile numbers inside free text, and leaves other numbers alone', () => {
  assert.equal(maskPersonalData('我的身份证110101199003074512，电话13812345678'), '我的身份证1101**********4512，电话138****5678');
  assert.equal(maskPersonalData('身份证号11010119900307451x'), '身份证号1101**********451x');
  assert.equal(maskPersonalData('交了15年，每月4500元，2025年退休'), '交了15年，每月4500元，2025年退休');
  assert.equal(maskIdNumber('110101199003074512'), '1101**********4512');
  assert.equal(maskPhone('13812345678'), '138****5678');
});
