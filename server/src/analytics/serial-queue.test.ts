import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SerialQueue } from './record-facts';

describe('the facts consumer’s queue', () => {
  it('runs work one at a time in order, and a burst for one conversation waiting in line costs one run', async () => {
    const queue = new SerialQueue();
    const ran: string[] = [];
    let running = 0;
    const work = (label: string) => async () => {
      running++;
      assert.equal(running, 1, 'never two at once');
      await new Promise((resolve) => setTimeout(resolve, 5));
      ran.push(label);
      running--;
    };
    const fail = (err: unknown) => assert.fail(String(err));
    queue.push(work('a1'), fail, 'a');
    queue.push(work('a-again'), fail, 'a'); // a1 has not started: its run will read the newer state, so this adds nothing
    await new Promise((resolve) => setTimeout(resolve, 1)); // a1 is running now
    for (let i = 0; i < 10; i++) queue.push(work(`b${i}`), fail, 'b'); // nine of these wait behind the first
    queue.push(work('a2'), fail, 'a'); // a's first run has started: this one is new
    await queue.idle();
    assert.deepEqual(ran, ['a1', 'b0', 'a2']);
    queue.push(work('b-later'), fail, 'b'); // b ran already: a new event runs again
    await queue.idle();
    assert.deepEqual(ran.at(-1), 'b-later');
  });
});
