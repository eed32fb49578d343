/**
 * A stand-in `electron` package for running the bundled main process in plain Node
 * (main-bundle.test.ts copies it to node_modules/electron beside the bundle). Every API is a
 * recording no-op; `app` answers the few questions start-up asks. Once start-up has logged
 * 'Bullpen started' (or exited), it prints what was called (one JSON line) and exits.
 */
'use strict';
const calls = [];
const userData = process.env.STAND_IN_USER_DATA;
// Electron sets this for every main process: where app.asar and app-update.yml live.
process.resourcesPath = process.env.STAND_IN_RESOURCES;

function stub(path) {
  return new Proxy(function () {}, {
    get(_target, key) {
      if (key === 'then') return undefined; // not a promise
      if (key === Symbol.toPrimitive || key === 'toString') return () => `[${path}]`;
      const name = `${path}.${String(key)}`;
      return name in answers ? answers[name] : stub(name);
    },
    apply() {
      calls.push(path);
      if (path === until) finishWhenDone();
      return stub(`${path}()`);
    },
    construct() {
      calls.push(`new ${path}`);
      return stub(`new ${path}`);
    },
  });
}

const answers = {
  'app.isPackaged': process.env.STAND_IN_PACKAGED === '1',
  'app.getVersion': () => '0.0.0-stand-in',
  'app.getName': () => 'Bullpen',
  'app.getPath': () => userData,
  'app.getAppPath': () => process.cwd(),
  'app.requestSingleInstanceLock': () => (calls.push('app.requestSingleInstanceLock'), true),
  'app.exit': (code) => {
    calls.push(`app.exit(${code})`);
    finish();
  },
  'app.whenReady': () => {
    calls.push('app.whenReady');
    return Promise.resolve();
  },
  'safeStorage.isEncryptionAvailable': () => true,
  'safeStorage.getSelectedStorageBackend': () => 'gnome_libsecret',
  'BrowserWindow.getAllWindows': () => [],
};

// Start-up's last step is this log line (a failed start-up ends with app.exit(1) instead):
// report as soon as main has written it and, with STAND_IN_UNTIL, once that call was made too
// (work start-up sets off without awaiting it, such as the first update check), never after a
// guessed delay. The test's process timeout is the deadline.
const until = process.env.STAND_IN_UNTIL || null;
let started = false;
function finishWhenDone() {
  if (started && (until === null || calls.includes(until))) setImmediate(finish);
}
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  const written = writeStdout(chunk, ...rest);
  if (String(chunk).includes('"msg":"Bullpen started"')) {
    started = true;
    finishWhenDone();
  }
  return written;
};

function finish() {
  process.stdout.write(`${JSON.stringify({ standInCalls: calls })}\n`);
  process.exit(0);
}

// Spelled out, one per line: Node finds an ES module's named imports of CommonJS this way.
exports.app = stub('app');
exports.autoUpdater = stub('autoUpdater');
exports.BrowserWindow = stub('BrowserWindow');
exports.contextBridge = stub('contextBridge');
exports.desktopCapturer = stub('desktopCapturer');
exports.dialog = stub('dialog');
exports.globalShortcut = stub('globalShortcut');
exports.ipcMain = stub('ipcMain');
exports.Menu = stub('Menu');
exports.nativeImage = stub('nativeImage');
exports.net = stub('net');
exports.Notification = stub('Notification');
exports.powerMonitor = stub('powerMonitor');
exports.protocol = stub('protocol');
exports.safeStorage = stub('safeStorage');
exports.screen = stub('screen');
exports.session = stub('session');
exports.shell = stub('shell');
exports.systemPreferences = stub('systemPreferences');
exports.Tray = stub('Tray');
exports.webContents = stub('webContents');
