import { useEffect, type RefObject } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement) {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => {
    if (el.closest('[hidden], [inert]') || !el.getClientRects().length) return false;
    // of a group of radios only one is in the Tab order: the checked one, else the first
    if (el instanceof HTMLInputElement && el.type === 'radio' && el.name) {
      const group = [...root.querySelectorAll<HTMLInputElement>(`input[type="radio"][name="${CSS.escape(el.name)}"]`)];
      return el === (group.find((r) => r.checked) ?? group[0]);
    }
    return true;
  });
}

/**
 * Keeps Tab and Shift+Tab inside the open panel: from its last control back to its first and the
 * other way round, so a keyboard user never wanders onto the page behind it. Off while closed.
 */
export function useFocusTrap(root: RefObject<HTMLElement | null>, isActive: boolean) {
  useEffect(() => {
    if (!isActive) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Tab' || !root.current) return;
      const items = focusables(root.current);
      if (!items.length) return;
      const first = items[0]!;
      const last = items.at(-1)!;
      const active = document.activeElement;
      const isInside = active instanceof HTMLElement && root.current.contains(active) && active !== root.current;
      if (!isInside) {
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
      } else if (event.shiftKey && active === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && active === last) {
        event.preventDefault();
        first.focus();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [root, isActive]);
}
