import type { DatasetSize } from './dataset.js';

/* What every benchmark reads from the environment and how it sums up its timings. */

export function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive whole number (got "${raw}").`);
  return value;
}

/** The data set's size: BENCH_ENTRIES, BENCH_CONTACTS, BENCH_SALESPEOPLE, or 1M entries over 10k contacts and 200 salespeople. */
export function datasetSizeFromEnv(): DatasetSize {
  return {
    entries: numberFromEnv('BENCH_ENTRIES', 1_000_000),
    contacts: numberFromEnv('BENCH_CONTACTS', 10_000),
    salespeople: numberFromEnv('BENCH_SALESPEOPLE', 200)
  };
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of millisecond samples. */
export function percentiles(samples: ArrayLike<number>): Percentiles {
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] ?? NaN };
}
