/**
 * The wall-clock index beside each recording (`<id>.idx`): one JSON line per Ogg page written,
 * `{"w": wall ms, "m": media ms, "o": byte offset}` for the page's first packet. It maps "when
 * did this happen" (a clip marked at a wall-clock time) to a position in the audio, and lets a
 * reader seek into an hours-long file without scanning it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';

const IndexEntrySchema = z.object({
  w: z.number().finite(),
  m: z.number().finite().nonnegative(),
  o: z.number().int().nonnegative(),
});

/** One index line: the first packet of the page at byte offset `o`. */
export type IndexEntry = z.infer<typeof IndexEntrySchema>;

/** Serializes one entry as an index line (newline included). */
export function indexLine(entry: IndexEntry): string {
  return `{"w":${entry.w},"m":${entry.m},"o":${entry.o}}\n`;
}

/**
 * Reads an index file. Lines that do not parse (a line torn by a crash) are skipped; a missing
 * file reads as an empty index.
 */
export function readRecordingIndex(indexPath: string): IndexEntry[] {
  if (!existsSync(indexPath)) return [];
  const entries: IndexEntry[] = [];
  for (const line of readFileSync(indexPath, 'utf8').split('\n')) parseIndexLine(line, entries);
  return entries;
}

/** Parses index lines held in memory (a recording's segments in object storage carry theirs). */
export function readRecordingIndexLines(text: string): IndexEntry[] {
  const entries: IndexEntry[] = [];
  for (const line of text.split('\n')) parseIndexLine(line, entries);
  return entries;
}

/** Lines parsed between two yields to the event loop (about a millisecond of work). */
const LINES_PER_TURN = 1000;

/**
 * Reads an index file like {@link readRecordingIndex}, without blocking the event loop: the
 * file is read asynchronously and parsed in bounded batches (an hours-long call has thousands
 * of lines, and clips are cut while audio is being forwarded).
 */
export async function readRecordingIndexAsync(indexPath: string): Promise<IndexEntry[]> {
  let text: string;
  try {
    text = await readFile(indexPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const lines = text.split('\n');
  const entries: IndexEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (i > 0 && i % LINES_PER_TURN === 0) await nextTurn();
    parseIndexLine(lines[i]!, entries);
  }
  return entries;
}

/** Appends the entry on `line` to `entries`; a blank or torn line is skipped. */
function parseIndexLine(line: string, entries: IndexEntry[]): void {
  if (line.trim() === '') return;
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return;
  }
  const parsed = IndexEntrySchema.safeParse(raw);
  if (parsed.success) entries.push(parsed.data);
}

/**
 * Media ms at wall-clock `wallMs`, interpolated between the index entries around it (entries are
 * in wall order). Before the first entry: the first entry's media time; after the last: media
 * advances in step with the wall clock (the caller clamps to the recording's duration). 0 for an
 * empty index.
 */
export function mediaMsAtWall(index: readonly IndexEntry[], wallMs: number): number {
  const first = index[0];
  if (!first) return 0;
  if (wallMs <= first.w) return first.m;
  // Last entry with w <= wallMs.
  let lo = 0;
  let hi = index.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (index[mid]!.w <= wallMs) lo = mid;
    else hi = mid - 1;
  }
  const a = index[lo]!;
  const b = index[lo + 1];
  if (!b) return a.m + (wallMs - a.w);
  if (b.w <= a.w) return a.m;
  const m = a.m + ((wallMs - a.w) * (b.m - a.m)) / (b.w - a.w);
  return Math.min(m, b.m);
}
