import { describe, expect, it } from 'vitest';
import {
  AccountName,
  AddCommentBody,
  CallTitle,
  ClipMarkPayload,
  ClipNote,
  ClipTag,
  ClipTags,
  ClipTitle,
  CommentBody,
  PersonName,
  SetupBody,
  SignupBody,
  TeamName,
  UpdateClipBody,
  clientEvents,
  stripControlChars,
} from '../../../contract';

/** Every control the contract removes, once. */
const NASTY = '\u0000\u0007\u001b[31m\u007f\u0085\u009b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';

describe('text fields', () => {
  it('removes C0/C1 controls, ESC, DEL and bidi overrides/isolates, keeping printable text', () => {
    expect(stripControlChars(`Acme${NASTY} Corp`, false)).toBe('Acme[31m Corp');
    expect(stripControlChars(`Acme${NASTY} Corp`, true)).toBe('Acme[31m Corp');
    // Bidi marks are ordinary right-to-left punctuation: kept, as are emoji and accents.
    expect(stripControlChars('שלום\u200f Zoë 👋 \u200e', false)).toBe('שלום\u200f Zoë 👋 \u200e');
  });

  it('turns line breaks and tabs into spaces in single-line text, keeps them in multi-line text', () => {
    expect(stripControlChars('Acme\r\nCorp\tEMEA\rWest\nEast\u2028North\u2029South', false)).toBe('Acme Corp EMEA West East North South');
    expect(stripControlChars('line 1\r\nline 2\rline 3\n\tindented\u2028end', true)).toBe('line 1\nline 2\nline 3\n\tindented\nend');
  });

  it('cleans every single-line field before trimming and length checks', () => {
    for (const schema of [CallTitle, PersonName, TeamName]) {
      expect(schema.parse(`\u202e  Renewal\u0000 with\r\nInitech \u001b`)).toBe('Renewal with Initech');
      // Only controls: nothing is left, so a required field is refused rather than stored empty.
      expect(schema.safeParse('\u0000\u202e\r\n').success).toBe(false);
    }
    expect(AccountName.parse('Init\u0000ech\u2066')).toBe('Initech');
    expect(ClipTitle.parse('Great\u0007 close\n')).toBe('Great close');
    // The length limit counts what is kept.
    expect(CallTitle.safeParse('x'.repeat(120) + '\u0000'.repeat(50)).success).toBe(true);
    expect(CallTitle.safeParse('x'.repeat(121)).success).toBe(false);
  });

  it('cleans notes and comments but keeps their line breaks and tabs', () => {
    expect(ClipNote.parse('First\u0000 point\r\n\t- second\u202e\n')).toBe('First point\n\t- second');
    expect(CommentBody.parse('Nice\u001b[2J\r\nreframe')).toBe('Nice[2J\nreframe');
    expect(CommentBody.safeParse('\u0000\u0000').success).toBe(false);
  });

  it('cleans tags before checking their alphabet', () => {
    expect(ClipTag.parse('Pri\u0000cing\u202e')).toBe('pricing');
    expect(ClipTags.parse(['pricing', 'pri\u0000cing'])).toEqual(['pricing']);
    expect(ClipTag.safeParse('pri;cing').success).toBe(false);
  });

  it('applies to every payload carrying such fields', () => {
    const start = clientEvents['call:start'].payload.parse({
      title: 'Demo\u0000\r\nday',
      account: '\u202eAcme',
      policy: 'team',
      offer: 'v=0\r\n' + 'a'.repeat(20),
    });
    expect(start).toMatchObject({ title: 'Demo day', account: 'Acme' });
    expect(ClipMarkPayload.parse({ callId: 'c1', title: 'T\u0000', note: 'a\r\nb\u0000', tags: ['x\u001b'] })).toMatchObject({
      title: 'T',
      note: 'a\nb',
      tags: ['x'],
    });
    expect(UpdateClipBody.parse({ title: '\u2067Hi' })).toEqual({ title: 'Hi' });
    expect(AddCommentBody.parse({ atMs: 0, body: 'ok\u0000' })).toMatchObject({ body: 'ok' });
    expect(SetupBody.parse({ teamName: 'Acme\u0000', name: 'Ann\nLee', email: 'a@b.test', password: 'x'.repeat(12) })).toMatchObject({
      teamName: 'Acme',
      name: 'Ann Lee',
    });
    expect(SignupBody.parse({ inviteCode: 'abc', name: '\u202eBob', email: 'b@b.test', password: 'x'.repeat(12) })).toMatchObject({ name: 'Bob' });
  });
});
