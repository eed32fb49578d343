import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { startServer } from '../../server/app';
import type { SignInLimits } from '../../server/auth/sign-in-throttle';
import type { ServerConfigInput } from '../../server/config';
import { TEST_PASSWORD_COST } from '../helpers/test-password';
import { chromiumPath } from '../helpers/test-tools';
import { writeToneWav } from '../helpers/wav';

/** The built renderer the server serves (`npm run build` / `npx electron-vite build`). */
const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));
const CHROMIUM = chromiumPath() ?? '/usr/bin/chromium';

export interface E2eServer {
  url: string;
  dataDir: string;
}

interface TestFixtures {
  /** How long the server waits for a dropped host (`test.use({ hostGraceMs })`); default 30 s. */
  hostGraceMs: number | undefined;
  /** Sign-in limits other than the defaults (`test.use({ signInLimits })`). */
  signInLimits: SignInLimits | undefined;
  /** Further server settings (e.g. TURN); a spec may derive them from its own fixtures. */
  serverOptions: Partial<ServerConfigInput>;
  /** A fresh Bullpen server on a random port with a temporary data dir. */
  server: E2eServer;
  /**
   * Opens a new, isolated browser profile (context) on the app; outside network is blocked.
   * `prepare` runs on the context before the first page loads (e.g. to add an init script).
   */
  openApp: (path?: string, prepare?: (context: BrowserContext) => Promise<void>) => Promise<Page>;
}

interface WorkerFixtures {
  /** A 30 s stereo tone (440 Hz / 660 Hz) the fake microphone plays. */
  toneWav: string;
  browser: Browser;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  toneWav: [
    // Playwright reads fixture dependencies from the destructuring pattern; this one has none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dir = await mkdtemp(join(tmpdir(), 'bullpen-e2e-audio-'));
      const wav = join(dir, 'tone.wav');
      await writeToneWav(wav, { seconds: 30, tonesHz: [440, 660] });
      await use(wav);
      await rm(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],

  browser: [
    async ({ playwright, toneWav }, use) => {
      const browser = await playwright.chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--use-fake-ui-for-media-stream',
          '--use-fake-device-for-media-stream',
          `--use-file-for-fake-audio-capture=${toneWav}`,
          // No name resolves except loopback: nothing can leave the machine.
          '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
        ],
      });
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],

  hostGraceMs: [undefined, { option: true }],
  signInLimits: [undefined, { option: true }],
  serverOptions: [{}, { option: true }],

  server: async ({ hostGraceMs, signInLimits, serverOptions }, use) => {
    if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
      throw new Error(`No built renderer in ${RENDERER_DIR}. Run \`npm run build\` first.`);
    }
    const dataDir = await mkdtemp(join(tmpdir(), 'bullpen-e2e-data-'));
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      rendererDir: RENDERER_DIR,
      logLevel: 'warn',
      passwordCost: TEST_PASSWORD_COST,
      ...(hostGraceMs ? { hostGraceMs } : {}),
      ...(signInLimits ? { signInLimits } : {}),
      ...serverOptions,
    });
    await use({ url: server.url, dataDir });
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  },

  openApp: async ({ browser, server }, use) => {
    const contexts: BrowserContext[] = [];
    const cspViolations: string[] = [];
    const origin = new URL(server.url).origin;
    await use(async (path = '/', prepare) => {
      const context = await browser.newContext({ permissions: ['microphone'], baseURL: server.url });
      contexts.push(context);
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        return url.origin === origin || url.protocol === 'data:' || url.protocol === 'blob:'
          ? route.continue()
          : route.abort('blockedbyclient');
      });
      await prepare?.(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
      // The server's CSP forbids inline scripts and styles: the app must never need them.
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
      });
      await page.goto(path);
      return page;
    });
    for (const context of contexts) await context.close();
    expect(cspViolations, 'Content-Security-Policy violations').toEqual([]);
  },
});

export { expect };

/** Reads a numeric data attribute, for `expect.poll`. */
export async function numberAttribute(page: Page, testId: string, attribute: string): Promise<number> {
  const value = await page.getByTestId(testId).getAttribute(attribute);
  return Number(value ?? 'NaN');
}
