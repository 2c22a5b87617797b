import assert from 'node:assert/strict';
import { test } from 'node:test';
import Decimal from 'decimal.js';
import { Num } from './num';
import { compileExpression, Unknown, type Value } from './feel';

test('round2 is exact and half-up on the cases of RULESETS.md §1.5', () => {
  const r = (a: string, b: string) => Num.parse(a).mul(Num.parse(b)).roundHalfUp(2).toString();
  assert.equal(r('4501.40', '0.075'), '337.61');
  assert.equal(r('4505', '0.009'), '40.55');
  assert.equal(r('8889', '0.005'), '44.45');
  assert.equal(r('4502.50', '0.002'), '9.01');
  assert.equal(Num.parse('170000.85').div(Num.of(170))!.roundHalfUp(2).toString(), '1000.01');
  assert.equal(Num.parse('44.445').roundHalfUp(2).toFixed(2), '44.45');
});

test('the scaled-integer fast path agrees with decimal.js on random values', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const D = Decimal.clone({ precision: 60 });
  for (let k = 0; k < 20000; k++) {
    const a = (rnd() * 10 ** Math.floor(rnd() * 9)).toFixed(Math.floor(rnd() * 5));
    const b = (rnd() * 10 ** Math.floor(rnd() * 6) * (rnd() < 0.2 ? -1 : 1)).toFixed(Math.floor(rnd() * 6));
    const x = Num.parse(a), y = Num.parse(b);
    const da = new D(a), db = new D(b);
    assert.equal(x.add(y).toString(), da.plus(db).toFixed(), `${a}+${b}`);
    assert.equal(x.sub(y).toString(), da.minus(db).toFixed(), `${a}-${b}`);
    assert.equal(x.mul(y).toString(), da.times(db).toFixed(), `${a}*${b}`);
    assert.equal(x.mul(y).roundHalfUp(2).toString(), da.times(db).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(), `round2(${a}*${b})`);
    assert.equal(x.cmp(y), da.comparedTo(db));
    assert.equal(x.floor().toString(), da.floor().toFixed());
  }
});

test('Num reads JS numbers by their shortest round-trip form', () => {
  assert.equal(Num.of(0.1).add(Num.of(0.2)).toString(), '0.3');
  assert.equal(Num.of(8888.88).decimalPlaces(), 2);
  assert.equal(Num.of(1e-7).decimalPlaces(), 7);
  assert.equal(Num.of(4500).toFixed(2), '4500.00');
  assert.equal(Num.of(1e21).toString(), '1000000000000000000000');
});

const names: Record<string, Value> = { a: Num.of(1), t: true, f: false, u: new Unknown(1), v: new Unknown(2) };
const run = (src: string) => compileExpression(src, (n) => (n in names ? () => names[n] : undefined)).evaluate({});

test('FEEL expressions evaluate exactly with three-valued logic over unknowns', () => {
  assert.equal((run('0.1 + 0.2 = 0.3') as boolean), true);
  assert.equal(run('f and u'), false);
  assert.equal(run('u and f'), false);
  assert.equal(run('t or u'), true);
  assert.equal((run('t and u') as Unknown).mask, 1);
  assert.equal((run('u + v') as Unknown).mask, 3);
  assert.equal((run('if u then 1 else 2') as Unknown).mask, 1);
  assert.equal(run('established(u)'), false);
  assert.equal((run('a in [1..5]') as boolean), true);
  assert.equal((run('"x" in ["y", "x"]') as boolean), true);
});

test('FEEL syntax errors and unknown names are rejected when a rule set is compiled', () => {
  assert.throws(() => run('a +* 1'), /syntax/);
  assert.throws(() => run('nope + 1'), /unknown name/);
  assert.throws(() => run('nofn(1)'), /unknown function/);
});
