import { describe, expect, it } from 'vitest';
import { DOWNLOAD_CONTINUATION_MS, DownloadWindow, rangeStart } from '../../../../server/audit/download-window';

const get = (range?: string) => ({ method: 'GET', range });

describe('DownloadWindow', () => {
  it('counts a first request, not its Range continuations within the window, and again from byte 0', () => {
    const w = new DownloadWindow();
    expect(w.counts('u:clip:1', get(), 0)).toBe(true);
    expect(w.counts('u:clip:1', get('bytes=1000-'), 1000)).toBe(false);
    // Each continuation extends the window.
    expect(w.counts('u:clip:1', get('bytes=2000-'), 1000 + DOWNLOAD_CONTINUATION_MS)).toBe(false);
    expect(w.counts('u:clip:1', get('bytes=0-99'), 2000 + DOWNLOAD_CONTINUATION_MS)).toBe(true);
  });

  it('counts a continuation after the window, another file or another person, and never a HEAD', () => {
    const w = new DownloadWindow();
    expect(w.counts('u:clip:1', get(), 0)).toBe(true);
    expect(w.counts('u:clip:1', get('bytes=10-'), DOWNLOAD_CONTINUATION_MS + 1)).toBe(true);
    expect(w.counts('u:clip:2', get('bytes=10-'), 0)).toBe(true);
    expect(w.counts('v:clip:1', get('bytes=10-'), 0)).toBe(true);
    expect(w.counts('u:clip:3', { method: 'HEAD', range: undefined }, 0)).toBe(false);
  });
});

describe('rangeStart', () => {
  it('reads the first byte of a bytes range', () => {
    expect(rangeStart('bytes=0-')).toBe(0);
    expect(rangeStart('bytes=512-1023')).toBe(512);
    expect(rangeStart('bytes=-500')).toBeNull();
    expect(rangeStart(undefined)).toBeNull();
    expect(rangeStart('items=1-2')).toBeNull();
  });
});
