import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { BullpenError, MAX_AUDIO_BYTES } from '../../contract';

/** Keeps a download name to safe characters for Content-Disposition. */
function safeName(name: string): string {
  const cleaned = name.replace(/[^\p{L}\p{N} ._-]+/gu, '').trim().slice(0, 80);
  return cleaned || 'clip';
}

/**
 * Streams an Ogg Opus file the server addressed by id (never a client path) with
 * @fastify/static's send machinery: Range and If-Range, ETag and Last-Modified, 206/304/416.
 * `private`: the audio is the caller's team's, so no shared cache may keep it. Throws
 * NOT_FOUND when the file is gone.
 */
export async function sendAudioFile(reply: FastifyReply, path: string, downloadName: string): Promise<FastifyReply> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile() || info.size > MAX_AUDIO_BYTES) throw new BullpenError('NOT_FOUND', 'This audio is no longer available.');
  const name = safeName(downloadName);
  reply
    .header('content-type', 'audio/ogg')
    .header('cache-control', 'private, no-cache')
    .header('content-disposition', `inline; filename="${name}.ogg"; filename*=UTF-8''${encodeURIComponent(name)}.ogg`);
  return reply.sendFile(basename(path), dirname(path), { contentType: false, cacheControl: false, index: false, dotfiles: 'allow' });
}

/** Audio streamed through this node from object storage: its size and a reader by byte range. */
export interface AudioStream {
  size: number;
  open(range: { start: number; end: number }): Promise<Readable | undefined>;
}

/**
 * Parses a single `bytes=` range against `size` (RFC 9110 §14.1.2): the inclusive range, null
 * when there is no usable Range header (send it all), or 'unsatisfiable' (416).
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/**
 * Streams audio kept in object storage through the node, with the same headers as
 * {@link sendAudioFile} and single-range requests (206, 416); HEAD sends the headers only.
 * Throws NOT_FOUND when the object is gone.
 */
export async function sendAudioStream(reply: FastifyReply, audio: AudioStream, downloadName: string): Promise<FastifyReply> {
  if (audio.size <= 0 || audio.size > MAX_AUDIO_BYTES) throw new BullpenError('NOT_FOUND', 'This audio is no longer available.');
  const name = safeName(downloadName);
  const range = parseRange(reply.request.headers.range, audio.size);
  reply
    .header('content-type', 'audio/ogg')
    .header('cache-control', 'private, no-cache')
    .header('accept-ranges', 'bytes')
    .header('content-disposition', `inline; filename="${name}.ogg"; filename*=UTF-8''${encodeURIComponent(name)}.ogg`);
  if (range === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${audio.size}`).send();
  const span = range ?? { start: 0, end: audio.size - 1 };
  if (range) reply.code(206).header('content-range', `bytes ${span.start}-${span.end}/${audio.size}`);
  reply.header('content-length', span.end - span.start + 1);
  if (reply.request.method === 'HEAD') return reply.send();
  const body = await audio.open(span);
  if (!body) throw new BullpenError('NOT_FOUND', 'This audio is no longer available.');
  return reply.send(body);
}
