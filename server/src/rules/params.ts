import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Text } from './types';

/**
 * Parameter tables: layered by jurisdiction (national, then province/city overlays) and
 * versioned by effective date. The value of a key on a date is taken from the deepest layer that
 * sets it, and within a layer from the latest version in force on that date.
 */

export interface Jurisdiction {
  code: string;
  name: Text;
  parent?: string;
}

export interface ParameterVersion {
  id: string;
  jurisdiction: string;
  /** YYYY-MM-DD, inclusive */
  effectiveFrom: string;
  /** YYYY-MM-DD, exclusive; null = open-ended */
  effectiveTo?: string | null;
  /** dotted key → JSON value */
  values: Record<string, unknown>;
  note?: string;
}

export interface ResolvedParameters {
  /** ids of the versions that contributed, root layer first */
  versionIds: string[];
  /** cache key: same versions give the same values */
  key: string;
  values: Map<string, unknown>;
}

export const SEED_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../seed/rules');

export class ParameterStore {
  private jurisdictions = new Map<string, Jurisdiction>();
  private versions: ParameterVersion[] = [];
  private cache = new Map<string, ResolvedParameters>();
  private dateCache = new Map<string, ResolvedParameters>();
  /** bumped on every change so compiled parameter arrays can be invalidated */
  generation = 0;

  constructor(
    jurisdictions: Jurisdiction[],
    versions: ParameterVersion[],
    readonly defaultJurisdiction: string,
  ) {
    for (const j of jurisdictions) this.jurisdictions.set(j.code, j);
    for (const v of versions) this.addVersion(v);
  }

  listJurisdictions(): Jurisdiction[] {
    return [...this.jurisdictions.values()];
  }

  hasJurisdiction(code: string): boolean {
    return this.jurisdictions.has(code);
  }

  listVersions(jurisdiction?: string): ParameterVersion[] {
    return this.versions.filter((v) => !jurisdiction || v.jurisdiction === jurisdiction);
  }

  /** Adds (or replaces, by id) a version. */
  addVersion(v: ParameterVersion): void {
    if (!this.jurisdictions.has(v.jurisdiction)) throw new Error(`unknown jurisdiction ${v.jurisdiction}`);
    this.versions = this.versions.filter((x) => x.id !== v.id);
    this.versions.push(v);
    this.versions.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
    this.cache.clear();
    this.dateCache.clear();
    this.generation++;
  }

  /** Earliest date any version of the chain is in force (dates before it have no parameters). */
  earliestDate(jurisdiction = this.defaultJurisdiction): string | null {
    let earliest: string | null = null;
    for (const code of this.chain(jurisdiction)) {
      for (const v of this.versions) {
        if (v.jurisdiction === code && (earliest === null || v.effectiveFrom < earliest)) earliest = v.effectiveFrom;
      }
    }
    return earliest;
  }

  /** Root-first chain of jurisdictions, e.g. ["CN", "demo-city"]. */
  chain(code: string): string[] {
    const out: string[] = [];
    let j = this.jurisdictions.get(code);
    while (j) {
      out.unshift(j.code);
      j = j.parent ? this.jurisdictions.get(j.parent) : undefined;
    }
    return out;
  }

  /** The parameter values in force on `date` (YYYY-MM-DD) for a jurisdiction. */
  resolve(date: string, jurisdiction = this.defaultJurisdiction): ResolvedParameters {
    const dk = `${jurisdiction}|${date}`;
    const hit = this.dateCache.get(dk);
    if (hit) return hit;
    const applicable: ParameterVersion[] = [];
    for (const code of this.chain(jurisdiction)) {
      for (const v of this.versions) {
        if (v.jurisdiction !== code) continue;
        if (v.effectiveFrom > date) continue;
        if (v.effectiveTo && v.effectiveTo <= date) continue;
        applicable.push(v);
      }
    }
    const key = applicable.map((v) => v.id).join('+');
    let resolved = this.cache.get(key);
    if (!resolved) {
      const values = new Map<string, unknown>();
      for (const v of applicable) for (const [k, val] of Object.entries(v.values)) values.set(k, val);
      resolved = { versionIds: applicable.map((v) => v.id), key, values };
      this.cache.set(key, resolved);
    }
    if (this.dateCache.size > 5000) this.dateCache.clear();
    this.dateCache.set(dk, resolved);
    return resolved;
  }
}

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Removes "_comment" keys from a JSON value. */
export function stripComments(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripComments);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!k.startsWith('_')) out[k] = stripComments(x);
    return out;
  }
  return v;
}

interface LayersManifest {
  jurisdictions: Jurisdiction[];
  defaultJurisdiction: string;
  versions: { id: string; jurisdiction: string; effectiveFrom: string; effectiveTo?: string | null; source: string; note?: string; keys: string[] }[];
}

/** Loads the seed parameter layers from server/seed/rules (layers.json + the files it names). */
export function loadSeedParameters(dir = SEED_DIR): ParameterStore {
  const manifest = JSON.parse(readFileSync(join(dir, 'layers.json'), 'utf8')) as LayersManifest;
  const sources = new Map<string, unknown>();
  const versions: ParameterVersion[] = manifest.versions.map((m) => {
    if (!sources.has(m.source)) sources.set(m.source, JSON.parse(readFileSync(join(dir, m.source), 'utf8')));
    const src = sources.get(m.source);
    const values: Record<string, unknown> = {};
    for (const k of m.keys) {
      const v = getPath(src, k);
      if (v === undefined) throw new Error(`parameter ${k} missing in ${m.source}`);
      values[k] = stripComments(v);
    }
    return { id: m.id, jurisdiction: m.jurisdiction, effectiveFrom: m.effectiveFrom, effectiveTo: m.effectiveTo ?? null, values, note: m.note };
  });
  return new ParameterStore(manifest.jurisdictions, versions, manifest.defaultJurisdiction);
}
