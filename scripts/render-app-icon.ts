/**
 * Renders build/icon.svg to build/icon.png (1024 × 1024), the one picture electron-builder
 * turns into every installer's icons (macOS .icns, Windows .ico, Linux sizes). Both files are
 * committed, so `npm run dist` needs no browser; run this again after editing the SVG:
 *
 *   npx tsx scripts/render-app-icon.ts
 *
 * Chromium draws it (the same one the end-to-end tests use; BULLPEN_CHROMIUM overrides).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { chromiumPath } from '../tests/helpers/test-tools';

const SIZE = 1024;
const svgPath = fileURLToPath(new URL('../build/icon.svg', import.meta.url));
const pngPath = fileURLToPath(new URL('../build/icon.png', import.meta.url));

const executablePath = chromiumPath();
if (!executablePath) {
  console.error('render-app-icon: Chromium not found. Install it (sudo apt-get install chromium) or set BULLPEN_CHROMIUM.');
  process.exit(1);
}
const svg = readFileSync(svgPath, 'utf8');
const browser = await chromium.launch({ executablePath });
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block}</style>${svg}`);
  const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: SIZE, height: SIZE } });
  writeFileSync(pngPath, png);
  console.log(`render-app-icon: wrote ${pngPath} (${png.length} bytes)`);
} finally {
  await browser.close();
}
