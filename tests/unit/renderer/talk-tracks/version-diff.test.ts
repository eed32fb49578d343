import { describe, expect, it } from 'vitest';
import { compareVersions, diffSummary, diffText, type ComparableVersion } from '../../../../renderer/src/talk-tracks/version-diff';

const base: ComparableVersion = {
  title: 'Too expensive',
  situation: 'Prospect says we are too expensive',
  whatToSay: 'Ask what they compare us with.\nThen talk value.',
  whyItWorks: 'Moves the talk to value.',
  tags: ['pricing'],
  examples: [{ clipId: 'c1', atMs: 65_000, caption: 'the pause' }],
};

describe('diffText', () => {
  it('marks words added and removed, keeping what both share, runs merged', () => {
    expect(diffText('ask what they compare', 'ask who they really compare')).toEqual([
      { kind: 'same', text: 'ask ' },
      { kind: 'removed', text: 'what' },
      { kind: 'added', text: 'who' },
      { kind: 'same', text: ' they ' },
      { kind: 'added', text: 'really ' },
      { kind: 'same', text: 'compare' },
    ]);
  });

  it('gives one same part for equal text and one added part from nothing', () => {
    expect(diffText('same text', 'same text')).toEqual([{ kind: 'same', text: 'same text' }]);
    expect(diffText('', 'new text')).toEqual([{ kind: 'added', text: 'new text' }]);
    expect(diffText('', '')).toEqual([]);
  });

  it('compares long text line by line', () => {
    const line = (n: number) => `line ${n} ${'x'.repeat(100)}\n`;
    const older = Array.from({ length: 50 }, (_, i) => line(i)).join('');
    const newer = older.replace(line(10), line(1000));
    const parts = diffText(older, newer);
    expect(parts.filter((p) => p.kind === 'removed')).toEqual([{ kind: 'removed', text: line(10) }]);
    expect(parts.filter((p) => p.kind === 'added')).toEqual([{ kind: 'added', text: line(1000) }]);
  });
});

describe('compareVersions', () => {
  it('compares every field in order, counting words, naming example clips and moments', () => {
    const newer = { ...base, whatToSay: 'Ask what they compare us with.\nThen talk outcomes.', tags: ['pricing', 'objection'], examples: [...base.examples, { clipId: 'c2', atMs: 0, caption: '' }] };
    const fields = compareVersions(base, newer, (id) => (id === 'c1' ? 'Price clip' : undefined));
    expect(fields.map((f) => [f.field, f.changed])).toEqual([
      ['title', false],
      ['situation', false],
      ['whatToSay', true],
      ['whyItWorks', false],
      ['tags', true],
      ['examples', true],
    ]);
    const say = fields.find((f) => f.field === 'whatToSay')!;
    expect(say.parts.filter((p) => p.kind !== 'same')).toEqual([
      { kind: 'removed', text: 'value' },
      { kind: 'added', text: 'outcomes' },
    ]);
    expect([say.added, say.removed]).toEqual([1, 1]);
    const examples = fields.find((f) => f.field === 'examples')!;
    expect(examples.parts).toEqual([
      { kind: 'same', text: 'Price clip at 1:05 — the pause\n' },
      { kind: 'added', text: 'Clip at 0:00\n' },
    ]);
    expect(diffSummary(fields)).toBe('Changed: what to say, tags, example clips · 5 words added, 1 word removed.');
  });

  it('says so when nothing changed', () => {
    const fields = compareVersions(base, { ...base });
    expect(fields.every((f) => !f.changed && f.added === 0 && f.removed === 0)).toBe(true);
    expect(diffSummary(fields)).toBe('No changes between these versions.');
  });
});
