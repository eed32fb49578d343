/**
 * The benchmark's figures: each is printed as one JSON line when measured and kept (with its
 * target and detail) for bench/results.json.
 */

export interface FigureRow {
  metric: string;
  value: number;
  unit: string;
  target?: string;
  detail?: string;
}

/** Every figure reported so far, in order. */
export const results: FigureRow[] = [];

/** Records a figure (value rounded to 2 decimals) and prints its JSON line. */
export function report(metric: string, value: number, unit: string, target: string | undefined, detail: string): void {
  const row: FigureRow = { metric, value: Math.round(value * 100) / 100, unit, ...(target ? { target } : {}), detail };
  results.push(row);
  process.stdout.write(JSON.stringify({ metric, value: row.value, unit }) + '\n');
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
