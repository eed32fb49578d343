import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BullpenError, MAX_AUDIO_BYTES } from '../../contract';

/**
 * Parses a single-range `Range: bytes=…` header against a file of `size` bytes. Returns the
 * inclusive range, `null` for no (or an ignorable multi-) range, or `'unsatisfiable'`.
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Multi-range and other units are allowed to be ignored (RFC 9110 §14.2): send the whole file.
  if (!match) return null;
  const [, from, to] = match;
  if (from === '' && to === '') return 'unsatisfiable';
  let start: number;
  let end: number;
  if (from === '') {
    // Suffix range: the last N bytes.
    const n = Number(to);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** Keeps a download name to safe characters for Content-Disposition. */
function safeName(name: string): string {
  const cleaned = name.replace(/[^\p{L}\p{N} ._-]+/gu, '').trim().slice(0, 80);
  return cleaned || 'clip';
}

/**
 * Streams an Ogg Opus file the server addressed by id (never a client path), with Range
 * support so players can seek. Throws NOT_FOUND when the file is gone.
 */
export async function sendAudioFile(req: IncomingMessage, res: ServerResponse, path: string, downloadName: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info || !info.isFile() || info.size > MAX_AUDIO_BYTES) throw new BullpenError('NOT_FOUND', 'This audio is no longer available.');
  const name = safeName(downloadName);
  const headers: Record<string, string | number> = {
    'content-type': 'audio/ogg',
    'accept-ranges': 'bytes',
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
    'content-disposition': `inline; filename="${name}.ogg"; filename*=UTF-8''${encodeURIComponent(name)}.ogg`,
  };
  const range = parseRange(req.headers.range, info.size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${info.size}` });
    res.end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: info.size - 1 };
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'content-length': info.size === 0 ? 0 : end - start + 1,
    ...(range ? { 'content-range': `bytes ${start}-${end}/${info.size}` } : {}),
  });
  if (req.method === 'HEAD' || info.size === 0) {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(path, { start, end });
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}
