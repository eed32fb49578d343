import { diffLines, diffWordsWithSpace } from 'diff';
import type { TalkTrackContent, TalkTrackExampleRef } from '../../../contract';

/** One run of text in a comparison: in both versions, only in the newer, or only in the older. */
export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** A field of two versions compared. */
export interface FieldDiff {
  field: 'title' | 'situation' | 'whatToSay' | 'whyItWorks' | 'tags' | 'examples';
  label: string;
  changed: boolean;
  parts: DiffPart[];
  /** Words added and removed (what the summary line counts). */
  added: number;
  removed: number;
}

/** What a version holds that a comparison looks at: its content. */
export type ComparableVersion = TalkTrackContent;

const LABELS: Record<FieldDiff['field'], string> = {
  title: 'Title',
  situation: 'Situation',
  whatToSay: 'What to say',
  whyItWorks: 'Why it works',
  tags: 'Tags',
  examples: 'Example clips',
};

/** Past this many characters a body is compared line by line (a word diff of long text is slow and noisy). */
const WORD_DIFF_MAX_CHARS = 8000;

/** Words in a run of text (punctuation alone is no word). */
const wordCount = (text: string) => text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

/**
 * Compares two strings: word by word (whitespace kept, so line breaks survive), or line by line
 * for long text. Neighbouring runs of one kind are merged, so the view alternates cleanly.
 */
export function diffText(older: string, newer: string): DiffPart[] {
  const long = older.length + newer.length > WORD_DIFF_MAX_CHARS;
  const changes = long ? diffLines(older, newer) : diffWordsWithSpace(older, newer);
  const parts: DiffPart[] = [];
  for (const change of changes) {
    if (change.value === '') continue;
    const kind: DiffPart['kind'] = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const last = parts.at(-1);
    if (last && last.kind === kind) last.text += change.value;
    else parts.push({ kind, text: change.value });
  }
  return parts;
}

/** An example link as one line of text, so a list of them compares like lines. */
export function exampleLine(e: TalkTrackExampleRef, titleOf: (clipId: string) => string | undefined): string {
  const seconds = Math.floor(e.atMs / 1000);
  const at = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return `${titleOf(e.clipId) ?? 'Clip'} at ${at}${e.caption ? ` — ${e.caption}` : ''}`;
}

/**
 * Every field of two versions compared, in the order the track shows them. `titleOf` names an
 * example's clip when the reader may see it.
 */
export function compareVersions(
  older: ComparableVersion,
  newer: ComparableVersion,
  titleOf: (clipId: string) => string | undefined = () => undefined,
): FieldDiff[] {
  const lines = (v: ComparableVersion) => v.examples.map((e) => `${exampleLine(e, titleOf)}\n`).join('');
  const texts: Record<FieldDiff['field'], [string, string]> = {
    title: [older.title, newer.title],
    situation: [older.situation, newer.situation],
    whatToSay: [older.whatToSay, newer.whatToSay],
    whyItWorks: [older.whyItWorks, newer.whyItWorks],
    tags: [older.tags.join(', '), newer.tags.join(', ')],
    examples: [lines(older), lines(newer)],
  };
  return (Object.keys(texts) as FieldDiff['field'][]).map((field) => {
    const [a, b] = texts[field];
    const parts = field === 'examples' ? linesOnly(a, b) : diffText(a, b);
    const count = (kind: DiffPart['kind']) => parts.filter((p) => p.kind === kind).reduce((n, p) => n + wordCount(p.text), 0);
    return { field, label: LABELS[field], changed: a !== b, parts, added: count('added'), removed: count('removed') };
  });
}

function linesOnly(a: string, b: string): DiffPart[] {
  return diffLines(a, b)
    .filter((c) => c.value !== '')
    .map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));
}

/** "3 words added, 1 removed" / "No changes": the summary above a comparison. */
export function diffSummary(fields: FieldDiff[]): string {
  const changed = fields.filter((f) => f.changed);
  if (changed.length === 0) return 'No changes between these versions.';
  const added = changed.reduce((n, f) => n + f.added, 0);
  const removed = changed.reduce((n, f) => n + f.removed, 0);
  const words = (n: number) => `${n} word${n === 1 ? '' : 's'}`;
  return `Changed: ${changed.map((f) => f.label.toLowerCase()).join(', ')} · ${words(added)} added, ${words(removed)} removed.`;
}
