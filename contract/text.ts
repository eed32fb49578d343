import { z } from 'zod';

/**
 * Text people type for others to read: titles, names, account names, notes, tags, comments.
 * Every such field is built from {@link singleLineText} or {@link multiLineText}, so control
 * characters are removed at the contract, before anything stores, indexes or shows them: NUL
 * (which PostgreSQL text refuses), ESC (terminal escapes in logs and exports), the other C0 and
 * C1 controls, and the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) that
 * make a title read differently from what it says. The bidi marks (U+200E, U+200F, U+061C)
 * are ordinary right-to-left punctuation and stay.
 */

/* eslint-disable no-control-regex -- finding control characters is the point */
/** Line breaks: CRLF, CR, LF and the Unicode line and paragraph separators. */
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;
/** C0 controls but tab and LF, DEL, C1 controls, bidi overrides and isolates. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

/**
 * Removes control characters. In single-line text a line break or tab becomes one space (a
 * pasted "Acme\r\nCorp" reads "Acme Corp"); multi-line text keeps tabs and line breaks, every
 * kind of line break becoming `\n`.
 */
export function stripControlChars(value: string, multiline: boolean): string {
  const broken = value.replace(LINE_BREAKS, multiline ? '\n' : ' ');
  const cleaned = broken.replace(CONTROLS, '');
  return multiline ? cleaned : cleaned.replace(/\t/g, ' ');
}

/** A one-line text field (title, name, tag): controls removed, breaks and tabs made spaces. */
export function singleLineText() {
  return z.string().overwrite((value) => stripControlChars(value, false));
}

/** A multi-line text field (note, comment): controls removed, `\n` and tabs kept. */
export function multiLineText() {
  return z.string().overwrite((value) => stripControlChars(value, true));
}
