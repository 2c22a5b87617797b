import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { AnalyticsFilter } from '../../../../common/analytics';
import { CHANNELS, type Channel } from '../../../../common/conversations';

export const PERIOD_PRESETS = ['7d', '30d', 'month', 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Today's calendar day in China (UTC+8), whatever the browser's time zone: the server groups days that way. */
export function chinaToday(now = Date.now()) {
  return new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** A `YYYY-MM-DD` day moved by n days. */
export function addDays(day: string, n: number) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The days a preset covers, both included, ending today (China time). */
export function presetRange(preset: Exclude<PeriodPreset, 'custom'>, today = chinaToday()) {
  if (preset === '7d') return { from: addDays(today, -6), to: today };
  if (preset === '30d') return { from: addDays(today, -29), to: today };
  return { from: `${today.slice(0, 8)}01`, to: today };
}

export interface FilterState {
  preset: PeriodPreset;
  filter: AnalyticsFilter;
}

/** Reads the filter from the URL's query (shareable); unknown or broken values fall back to the last 7 days. */
export function readFilter(params: URLSearchParams): FilterState {
  const rawPreset = params.get('period');
  let preset: PeriodPreset = (PERIOD_PRESETS as readonly string[]).includes(rawPreset ?? '') ? (rawPreset as PeriodPreset) : '7d';
  let range: { from: string; to: string };
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  if (preset === 'custom' && DAY_RE.test(from) && DAY_RE.test(to) && from <= to) range = { from, to };
  else {
    if (preset === 'custom') preset = '7d';
    range = presetRange(preset as Exclude<PeriodPreset, 'custom'>);
  }
  const channel = params.get('channel');
  const pick = (key: string) => params.get(key)?.slice(0, 64) || undefined;
  return {
    preset,
    filter: {
      ...range,
      channel: CHANNELS.includes(channel as Channel) ? (channel as Channel) : undefined,
      category: pick('category'),
      skill: pick('skill'),
      agent: pick('agent'),
    },
  };
}

/** The filter kept in the URL: other query keys (the tab, an open report) are left alone. */
export function useAnalyticsFilter() {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readFilter(params), [params]);
  const update = useCallback(
    (changes: Record<string, string | undefined>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(changes)) {
            if (v) next.set(k, v);
            else next.delete(k);
          }
          // presets are computed on every visit ("last 7 days" stays current); only a custom range keeps its days
          if (next.get('period') !== 'custom') {
            next.delete('from');
            next.delete('to');
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return { ...state, update, params, setParams };
}
