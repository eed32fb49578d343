import { describe, expect, it } from 'vitest';
import { ActivityState } from '../../../../contract';
import { drawTrayIcon, trayIconPngs, trayIconStyle } from '../../../../electron/main/tray-icons';

/** Alpha of pixel (x, y). */
const alpha = (pixels: Uint8Array, size: number, x: number, y: number) => pixels[(y * size + x) * 4 + 3]!;
const rgb = (pixels: Uint8Array, size: number, x: number, y: number) => [...pixels.subarray((y * size + x) * 4, (y * size + x) * 4 + 3)];

describe('drawTrayIcon', () => {
  it('draws a different glyph for each state a person must tell apart', () => {
    const drawn = ActivityState.options.filter((s) => s !== 'signed-out').map((state) => Buffer.from(drawTrayIcon(state, 32, 'template')).toString('base64'));
    expect(new Set(drawn).size).toBe(drawn.length);
  });

  it('idle is a ring (empty middle), live a filled dot, recording a dot inside a ring', () => {
    const idle = drawTrayIcon('idle', 32, 'color');
    const live = drawTrayIcon('live', 32, 'color');
    const recording = drawTrayIcon('recording', 32, 'color');
    expect(alpha(idle, 32, 16, 16)).toBe(0);
    expect(alpha(idle, 32, 16, 4)).toBe(255);
    expect(alpha(live, 32, 16, 16)).toBe(255);
    expect(alpha(recording, 32, 16, 16)).toBe(255);
    // The gap between the record glyph's dot and ring.
    expect(alpha(recording, 32, 16, 7)).toBe(0);
    // Corners stay transparent.
    for (const pixels of [idle, live, recording]) expect(alpha(pixels, 32, 0, 0)).toBe(0);
  });

  it('anti-aliases edges (partly covered pixels)', () => {
    const live = drawTrayIcon('live', 16, 'color');
    const alphas = new Set(Array.from({ length: 256 }, (_, i) => live[i * 4 + 3]));
    expect([...alphas].some((a) => a! > 0 && a! < 255)).toBe(true);
  });

  it('template images are black with alpha; coloured ones say red when live, blue when listening', () => {
    expect(rgb(drawTrayIcon('live', 16, 'template'), 16, 8, 8)).toEqual([0, 0, 0]);
    expect(rgb(drawTrayIcon('live', 16, 'color'), 16, 8, 8)).toEqual([229, 72, 77]);
    expect(rgb(drawTrayIcon('listening', 16, 'color'), 16, 2, 12)).toEqual([59, 130, 246]);
  });

  it('signed out is the idle ring, fainter', () => {
    const idle = drawTrayIcon('idle', 32, 'color');
    const signedOut = drawTrayIcon('signed-out', 32, 'color');
    expect(alpha(signedOut, 32, 16, 4)).toBeGreaterThan(100);
    expect(alpha(signedOut, 32, 16, 4)).toBeLessThan(alpha(idle, 32, 16, 4));
  });
});

describe('trayIconPngs', () => {
  it('makes a 16 px and a 32 px (2×) PNG for each state', () => {
    for (const state of ActivityState.options) {
      const pngs = trayIconPngs(state, 'color');
      expect(pngs.map((p) => [p.scaleFactor, p.size])).toEqual([
        [1, 16],
        [2, 32],
      ]);
      for (const { png, size } of pngs) {
        expect(png.toString('latin1', 1, 4)).toBe('PNG');
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
      }
    }
  });

  it('uses template images on macOS only', () => {
    expect(trayIconStyle('darwin')).toBe('template');
    expect(trayIconStyle('win32')).toBe('color');
    expect(trayIconStyle('linux')).toBe('color');
  });
});
