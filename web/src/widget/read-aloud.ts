import { useCallback, useEffect, useRef, useState } from 'react';
import type { Lang } from '../i18n';

export interface ReadAloud {
  /** the browser can speak (window.speechSynthesis); without it no 朗读 button is drawn */
  isSupported: boolean;
  /** the message being spoken now */
  speakingKey: string | undefined;
  speak(key: string, text: string): void;
  stop(): void;
}

/**
 * The voice's language: the interface's, except that Chinese text is always read by a Chinese voice
 * (the robot's knowledge is in Chinese, and an English voice cannot read it).
 */
export function speechLang(text: string, lang: Lang) {
  return lang === 'zh' || /[\u3400-\u9fff]/.test(text) ? 'zh-CN' : 'en-US';
}

/** 朗读: speaks one message at a time, through the browser's own voices. */
export function useReadAloud(lang: Lang): ReadAloud {
  const synth = typeof window !== 'undefined' && 'speechSynthesis' in window && typeof SpeechSynthesisUtterance !== 'undefined' ? window.speechSynthesis : undefined;
  const [speakingKey, setSpeakingKey] = useState<string>();
  // held until it ends: Chrome drops the end event of an utterance nothing refers to
  const current = useRef<SpeechSynthesisUtterance | undefined>(undefined);

  const stop = useCallback(() => {
    current.current = undefined;
    synth?.cancel();
    setSpeakingKey(undefined);
  }, [synth]);

  const speak = useCallback(
    (key: string, text: string) => {
      if (!synth) return;
      synth.cancel();
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = speechLang(text, lang);
      const voice = synth.getVoices().find((v) => v.lang.replace('_', '-').toLowerCase() === utterance.lang.toLowerCase());
      if (voice) utterance.voice = voice;
      utterance.rate = 0.9; // a little slower than the default: the listeners are often older
      const finished = () => {
        if (current.current !== utterance) return;
        current.current = undefined;
        setSpeakingKey(undefined);
      };
      utterance.onend = finished;
      utterance.onerror = finished;
      current.current = utterance;
      setSpeakingKey(key);
      synth.speak(utterance);
    },
    [synth, lang],
  );

  // a closed panel or another language stops the voice
  // biome-ignore lint/correctness/useExhaustiveDependencies: lang is not read, it is the trigger: a switch of language stops the voice
  useEffect(() => () => synth?.cancel(), [synth, lang]);

  return { isSupported: !!synth, speakingKey, speak, stop };
}
