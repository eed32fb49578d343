import { describe, expect, it } from 'vitest';
import { electronDistDir, planDist, type DistInput } from '../../../scripts/dist-plan';

const input = (patch: Partial<DistInput>): DistInput => ({
  platform: 'linux',
  arch: 'x64',
  binary: { ok: true, path: '/repo/node_modules/electron/dist/electron' },
  electronVersion: '39.8.10',
  binaryVersion: '39.8.10',
  dirOnly: false,
  ...patch,
});

describe('planDist', () => {
  it('packs the local Electron for this OS’s installers', () => {
    expect(planDist(input({}))).toEqual({
      ok: true,
      electronDist: '/repo/node_modules/electron/dist',
      electronVersion: '39.8.10',
      installers: 'an AppImage and a .deb',
      dirOnly: false,
    });
    expect(planDist(input({ platform: 'win32', binary: { ok: true, path: 'C:/repo/node_modules/electron/dist/electron.exe' } }))).toMatchObject({
      ok: true,
      installers: 'an NSIS installer (.exe)',
    });
    // Electron's version file says v39.8.10 in some distributions.
    expect(planDist(input({ binaryVersion: 'v39.8.10\n' })).ok).toBe(true);
  });

  it('without a binary builds nothing and says what is missing and how to get it', () => {
    const plan = planDist(input({ binary: { ok: false, reason: 'the Electron binary is not installed' } }));
    expect(plan.ok).toBe(false);
    const message = plan.ok ? '' : plan.message;
    expect(message).toMatch(/cannot build installers: the Electron binary is not installed/);
    expect(message).toMatch(/Electron 39\.8\.10 for linux-x64/);
    expect(message).toMatch(/node node_modules\/electron\/install\.js/);
    expect(message).toMatch(/ELECTRON_OVERRIDE_DIST_PATH/);
    expect(message).toMatch(/Nothing was built/);
  });

  it('refuses a binary of another Electron version than package.json pins', () => {
    const plan = planDist(input({ binaryVersion: '38.0.0' }));
    expect(plan.ok ? '' : plan.message).toMatch(/binary is 38\.0\.0 but package\.json pins electron 39\.8\.10/);
  });

  it('refuses an OS Bullpen has no installers for', () => {
    const plan = planDist(input({ platform: 'freebsd' }));
    expect(plan.ok ? '' : plan.message).toMatch(/not freebsd/);
  });
});

describe('electronDistDir', () => {
  it('is the folder holding Electron.app on macOS and the executable’s folder elsewhere', () => {
    expect(electronDistDir('/r/node_modules/electron/dist/Electron.app/Contents/MacOS/Electron', 'darwin')).toBe('/r/node_modules/electron/dist');
    expect(electronDistDir('/r/node_modules/electron/dist/electron', 'linux')).toBe('/r/node_modules/electron/dist');
  });
});
