/** Getting an agent's attention: a short chime and the unread count in the tab's title. */
import { useEffect } from 'react';

let audio: AudioContext | null = null;

/** A two-note chime made with Web Audio (no sound file to load); silent where audio is blocked. */
export function chime() {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    for (const [i, freq] of [880, 1175].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const start = now + i * 0.14;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.18, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + 0.32);
    }
  } catch {
    /* no audio in this browser: the title still tells */
  }
}

/** "(3) 新消息" in the document title while there are unread messages; the usual title otherwise. */
export function useTitleBadge(count: number, label: string) {
  useEffect(() => {
    const original = document.title;
    if (count > 0) document.title = `(${count}) ${label}`;
    return () => {
      document.title = original;
    };
  }, [count, label]);
}
