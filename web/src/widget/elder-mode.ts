import { useCallback, useEffect, useState } from 'react';

/**
 * The portal's 长辈版 switch stores '1' under this key (web/src/shell/elder-mode.ts). The frame is
 * served from the portal's origin, so it shares the portal's storage: the same choice on both.
 */
const ELDER_STORAGE_KEY = 'zhixun.elder';

function readStored(): boolean {
  try {
    return localStorage.getItem(ELDER_STORAGE_KEY) === '1';
  } catch {
    return false; // a third-party frame may be refused storage: normal mode
  }
}

function store(on: boolean) {
  try {
    if (on) localStorage.setItem(ELDER_STORAGE_KEY, '1');
    else localStorage.removeItem(ELDER_STORAGE_KEY);
  } catch {
    /* refused: on for this frame only */
  }
}

/**
 * Elderly mode in the widget's frame: on when another site asks for it (`elder=1` in the frame's
 * address, from the script's data-elder) or this browser chose it on the portal. It follows the
 * portal's switch live (a storage event reaches the frame) and the embedding page's
 * `zhixunWidget.setElder()`; the widget's own 大字 button changes it for the portal too.
 */
export function useElderMode(isAskedByHost: boolean): [boolean, (on: boolean) => void] {
  const [isOn, setOn] = useState(() => isAskedByHost || readStored());

  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === ELDER_STORAGE_KEY || event.key === null) setOn(event.newValue === '1');
    };
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { source?: string; type?: string; on?: unknown };
      if (event.source === window.parent && data?.source === 'zhixun-widget' && data.type === 'elder') setOn(data.on === true);
    };
    window.addEventListener('storage', onStorage);
    window.addEventListener('message', onMessage);
    return () => {
      window.removeEventListener('storage', onStorage);
      window.removeEventListener('message', onMessage);
    };
  }, []);

  useEffect(() => {
    // on <html>, so the page's own background and type grow with the panel
    document.documentElement.classList.toggle('zw-elder', isOn);
  }, [isOn]);

  const set = useCallback((on: boolean) => {
    setOn(on);
    store(on);
  }, []);
  return [isOn, set];
}
