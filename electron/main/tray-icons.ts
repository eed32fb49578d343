import type { ActivityState } from '../../contract';
import { encodePng } from './png';

/**
 * The tray icon's look per activity, drawn in code: a ring when idle, a filled dot when live,
 * the "record" glyph (a dot in a ring) when live and recorded, headphones when listening.
 * Signed out shows the idle ring, fainter.
 */

/** Tray icons are 16 points; 2× for high-density screens (and Linux panels that scale up). */
export const TRAY_ICON_POINTS = 16;
export const TRAY_ICON_SCALES = [1, 2] as const;

/** `template`: black shapes in alpha only, which macOS recolours for light/dark menu bars. */
export type TrayIconStyle = 'template' | 'color';

type Rgb = readonly [number, number, number];
const colors: Record<ActivityState, Rgb> = {
  'signed-out': [138, 144, 153],
  idle: [138, 144, 153],
  live: [229, 72, 77],
  recording: [229, 72, 77],
  listening: [59, 130, 246],
};

/** Whether the point (x, y) of the unit square is inside the state's glyph. */
function inside(state: ActivityState, x: number, y: number): boolean {
  const r = Math.hypot(x - 0.5, y - 0.5);
  switch (state) {
    case 'signed-out':
    case 'idle':
      return r <= 0.44 && r >= 0.31;
    case 'live':
      return r <= 0.44;
    case 'recording':
      return (r <= 0.44 && r >= 0.34) || r <= 0.24;
    case 'listening': {
      // Headphones: the band (upper half of a ring) and two ear cups.
      const band = r <= 0.42 && r >= 0.32 && y <= 0.56;
      const cup = y >= 0.5 && y <= 0.88 && ((x >= 0.08 && x <= 0.3) || (x >= 0.7 && x <= 0.92));
      return band || cup;
    }
  }
}

/** Samples per pixel side: 4×4 coverage samples give smooth edges at 16 px. */
const SUPERSAMPLE = 4;

/** The state's icon as straight RGBA pixels, `size`×`size`, anti-aliased by coverage. */
export function drawTrayIcon(state: ActivityState, size: number, style: TrayIconStyle): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const [red, green, blue] = style === 'template' ? ([0, 0, 0] as const) : colors[state];
  const opacity = state === 'signed-out' ? 0.55 : 1;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          if (inside(state, (px + (sx + 0.5) / SUPERSAMPLE) / size, (py + (sy + 0.5) / SUPERSAMPLE) / size)) covered++;
        }
      }
      const at = (py * size + px) * 4;
      pixels[at] = red;
      pixels[at + 1] = green;
      pixels[at + 2] = blue;
      pixels[at + 3] = Math.round((255 * opacity * covered) / SUPERSAMPLE ** 2);
    }
  }
  return pixels;
}

/** One PNG per scale factor for the state's icon. */
export function trayIconPngs(state: ActivityState, style: TrayIconStyle): { scaleFactor: number; size: number; png: Buffer }[] {
  return TRAY_ICON_SCALES.map((scaleFactor) => {
    const size = TRAY_ICON_POINTS * scaleFactor;
    return { scaleFactor, size, png: encodePng(size, size, drawTrayIcon(state, size, style)) };
  });
}

/** macOS menu-bar icons are template images; Windows and Linux get coloured ones. */
export function trayIconStyle(platform: NodeJS.Platform): TrayIconStyle {
  return platform === 'darwin' ? 'template' : 'color';
}
