/**
 * What the benchmarks share: temp folders that are removed afterwards, percentiles, and a
 * consistent way to print figures. Benchmarks print; they never assert on time.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const folders: string[] = [];

/** A fresh temp folder, removed by `cleanUp`. */
export function makeTempDir(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'workbench-bench-'));
  folders.push(folder);
  return folder;
}

/** Removes every temp folder made so far. */
export function cleanUp(): void {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
}

/** The `fraction` percentile (0.5, 0.95) of `samples`, by nearest rank. */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((left, right) => left - right);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank];
}

/** Runs `body` and returns how long it took in milliseconds. */
export async function timed(body: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await body();
  return performance.now() - started;
}

/** Prints a heading. */
export function heading(text: string): void {
  console.log(`\n${text}\n${'-'.repeat(text.length)}`);
}

/** Prints a row of label and value, aligned. */
export function row(label: string, value: string): void {
  console.log(`  ${label.padEnd(46)} ${value}`);
}

/** "12.3 ms". */
export function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

/** A deterministic pseudo-random generator (mulberry32), so every run builds the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
