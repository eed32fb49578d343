import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
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
