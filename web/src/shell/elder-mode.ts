import { useCallback, useSyncExternalStore } from 'react';

/**
 * 长辈版 (elderly mode): larger text and targets, higher contrast, one column. Remembered per
 * browser under this key ('1' on), which the chat widget reads too, so both look alike.
 */
export const ELDER_STORAGE_KEY = 'zhixun.elder';
/** The class on <html> while elderly mode is on: the stylesheet's elder rules hang on it. */
export const ELDER_CLASS = 'zx-elder';

const listeners = new Set<() => void>();

function readSaved(): boolean {
  try {
    return localStorage.getItem(ELDER_STORAGE_KEY) === '1';
  } catch {
    return false; // storage blocked: normal mode
  }
}

let isOn = readSaved();
applyClass(isOn);

function applyClass(on: boolean) {
  if (typeof document !== 'undefined') document.documentElement.classList.toggle(ELDER_CLASS, on);
}

/** Turns elderly mode on or off for this browser and every component showing it. */
export function setElderMode(on: boolean) {
  isOn = on;
  try {
    if (on) localStorage.setItem(ELDER_STORAGE_KEY, '1');
    else localStorage.removeItem(ELDER_STORAGE_KEY);
  } catch {
    /* storage blocked: on for this page only */
  }
  applyClass(on);
  for (const notify of listeners) notify();
}

function subscribe(notify: () => void) {
  listeners.add(notify);
  // another tab switched it: follow, so the tabs do not disagree
  const onStorage = (event: StorageEvent) => {
    if (event.key === ELDER_STORAGE_KEY && (event.newValue === '1') !== isOn) {
      isOn = event.newValue === '1';
      applyClass(isOn);
      for (const n of listeners) n();
    }
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(notify);
    window.removeEventListener('storage', onStorage);
  };
}

/** Whether elderly mode is on, and the switch. */
export function useElderMode(): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(subscribe, () => isOn, () => false);
  const set = useCallback((next: boolean) => setElderMode(next), []);
  return [on, set];
}
