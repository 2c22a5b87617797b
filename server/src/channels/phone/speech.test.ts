import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { heard, telephonyBridge } from './test-bridge';

/** A speech service on loopback speaking the documented JSON contract; it can be told to fail. */
function fakeSpeechService() {
  const requests: { path: string; body: any; authorization?: string }[] = [];
  const transcripts = new Map<string, string>();
  let isDown = false;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}');
      requests.push({ path: req.url ?? '', body, authorization: req.headers.authorization });
      res.setHeader('content-type', 'application/json');
      if (isDown) {
        res.statusCode = 503;
        return res.end('{}');
      }
      if (req.url === '/speech/recognize') return res.end(JSON.stringify({ text: transcripts.get(body.audioUrl) ?? '' }));
      if (req.url === '/speech/synthesize') return res.end(JSON.stringify({ audioUrl: `http://tts.example/${requests.length}.wav` }));
      res.statusCode = 404;
      res.end('{}');
    });
  });
  return {
    requests,
    transcripts,
    down: (value: boolean) => (isDown = value),
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/speech`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('speech through an HTTP speech service', () => {
  let t: TestApp;
  const speech = fakeSpeechService();
  before(async () => {
    const url = await speech.listen();
    t = await startTestApp({ env: { SPEECH_PROVIDER: 'http', SPEECH_URL: url, SPEECH_API_KEY: 'speech-key-1', SPEECH_TIMEOUT_MS: '2000' } });
  });
  after(async () => {
    await t?.close();
    await speech.close();
  });

  it('listens for words, recognises the caller’s recording, answers by the robot, and voices prompts as audio', async () => {
    const bridge = await telephonyBridge(t);
    const call = bridge.call();
    const greeting = await call.start('13300133000');
    assert.equal(greeting.at(-1)?.collect?.speech, true, 'the line listens for words');
    const says = greeting.filter((a) => a.say);
    assert.ok(says.length > 0 && says.every((a) => a.audioUrl?.startsWith('http://tts.example/')), 'every prompt comes with synthesized audio');
    const synth = speech.requests.find((r) => r.path === '/speech/synthesize')!;
    assert.equal(synth.body.text, says[0].say);
    assert.equal(synth.authorization, 'Bearer speech-key-1');

    await call.press('9');
    speech.transcripts.set('http://bridge.example/rec/1.wav', '失业保险金怎么申请');
    const answer = await call.post({ event: 'speech', recordingUrl: 'http://bridge.example/rec/1.wav' });
    assert.ok(speech.requests.some((r) => r.path === '/speech/recognize' && r.body.audioUrl === 'http://bridge.example/rec/1.wav'));
    assert.match(heard(answer), /失业/, heard(answer));
    assert.match(heard(answer), /转人工/);

    // a spoken keyword picks a menu option
    await call.press('*');
    const byVoice = await call.say('我想问劳动合同的事');
    assert.match(heard(byVoice), /签订劳动合同请按1/);
  });

  it('when the speech service fails the call goes on: prompts as text, and a key prompt instead of a recognition', async () => {
    const bridge = await telephonyBridge(t);
    const call = bridge.call();
    await call.start('13300133001');
    await call.press('9');
    speech.down(true);
    try {
      const failed = await call.post({ event: 'speech', recordingUrl: 'http://bridge.example/rec/2.wav' });
      assert.match(heard(failed), /无法识别语音，请使用电话按键/);
      assert.ok(failed.every((a) => !a.audioUrl), 'no audio: the bridge speaks the text itself');
      assert.ok(failed.at(-1)?.collect, 'the caller is asked again');
    } finally {
      speech.down(false);
    }
  });
});
