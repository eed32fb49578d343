import { describe, expect, it } from 'vitest';
import {
  clientEvents,
  CreateInviteBody,
  DEFAULT_SETTINGS,
  inviteGrant,
  parseAppLink,
  ipcChannels,
  LoginBody,
  parse,
  resultSchema,
  serverEvents,
  SettingsSchema,
  SetupBody,
  SignupBody,
} from '../../../contract';

const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n';

describe('REST bodies', () => {
  it('accepts good bodies and normalises emails', () => {
    expect(parse(SetupBody, { teamName: ' Acme ', name: 'Al', email: ' AL@Acme.Test ', password: 'long enough pw' })).toEqual({
      ok: true,
      value: { teamName: 'Acme', name: 'Al', email: 'al@acme.test', password: 'long enough pw' },
    });
    expect(parse(CreateInviteBody, { role: 'rep' })).toEqual({ ok: true, value: { role: 'rep', expiresInDays: 7 } });
  });

  it.each([
    [SetupBody, { teamName: 'A', name: 'B', email: 'c@d.test' }, /password/],
    [SignupBody, { inviteCode: '', name: 'B', email: 'c@d.test', password: 'long enough pw' }, /inviteCode/],
    [LoginBody, { email: 'nope', password: 'x' }, /email/],
    [CreateInviteBody, { role: 'owner' }, /role/],
    [CreateInviteBody, { role: 'rep', expiresInDays: 1000 }, /expiresInDays/],
  ] as const)('rejects a bad body with the field named', (schema, body, field) => {
    const result = parse(schema, body);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('BAD_REQUEST');
      expect(result.error.message).toMatch(field);
    }
  });
});

describe('socket events', () => {
  const good: Record<keyof typeof clientEvents, unknown> = {
    'board:get': {},
    'call:start': { title: 'Discovery with Initech', account: 'Initech', policy: 'team', offer: sdp },
    'call:publish': { callId: 'abc_123', offer: sdp },
    'call:end': { callId: 'abc_123' },
    'call:pause': { callId: 'abc_123' },
    'call:resume': { callId: 'abc_123' },
    'call:remove-listener': { callId: 'abc_123', userId: 'u_1' },
    'call:set-policy': { callId: 'abc_123', policy: 'managers', managersMayJoin: false },
    'call:start-recording': { callId: 'abc_123', recording: { enabled: true, customerInformed: true } },
    'listen:join': { callId: 'abc_123', offer: sdp },
    'listen:leave': { callId: 'abc_123' },
    'clip:mark': { callId: 'abc_123', preRollSec: 30, postRollSec: 10, tags: ['pricing'] },
    'question:ask': { callId: 'abc_123', text: 'Why pause there?', atMs: 12_000 },
    'whisper:send': { callId: 'abc_123', text: 'Ask about budget' },
    'media:ice-servers': {},
    'media:candidate': {
      callId: 'abc_123',
      role: 'listener',
      candidate: { candidate: 'candidate:1 1 udp 2122260223 192.0.2.7 50000 typ host generation 0', sdpMid: '0', usernameFragment: 'aB3d' },
    },
  };
  it.each(Object.keys(clientEvents) as (keyof typeof clientEvents)[])('%s: good payload passes, bad ones fail', (event) => {
    const schema = clientEvents[event].payload;
    expect(schema.safeParse(good[event]).success).toBe(true);
    for (const bad of [undefined, null, 42, 'x', []]) expect(schema.safeParse(bad).success).toBe(false);
  });

  it('bounds and checks fields', () => {
    const start = clientEvents['call:start'].payload;
    expect(start.safeParse({ ...(good['call:start'] as object), policy: 'everyone' }).success).toBe(false);
    expect(start.safeParse({ ...(good['call:start'] as object), title: '   ' }).success).toBe(false);
    expect(start.safeParse({ ...(good['call:start'] as object), offer: 'hello' }).success).toBe(false);
    expect(start.safeParse({ ...(good['call:start'] as object), offer: sdp + 'a'.repeat(30_000) }).success).toBe(false);
    expect(clientEvents['listen:join'].payload.safeParse({ callId: '../../etc/passwd', offer: sdp }).success).toBe(false);
  });

  it('host controls: recording needs consent, policies and ids are checked', () => {
    const rec = clientEvents['call:start-recording'].payload;
    expect(rec.safeParse({ callId: 'a', recording: { enabled: true, customerInformed: false } }).success).toBe(false);
    expect(rec.safeParse({ callId: 'a', recording: { enabled: false, customerInformed: true } }).success).toBe(false);
    expect(clientEvents['call:set-policy'].payload.safeParse({ callId: 'a', policy: 'everyone' }).success).toBe(false);
    expect(clientEvents['call:remove-listener'].payload.safeParse({ callId: 'a', userId: '../x' }).success).toBe(false);
    expect(clientEvents['call:start'].payload.parse({ ...(good['call:start'] as object) }).managersMayJoin).toBe(true);
  });

  it('ICE servers: TURN or STUN URLs only, credentials optional', () => {
    const reply = clientEvents['media:ice-servers'].reply;
    expect(reply.safeParse({ iceServers: [] }).success).toBe(true);
    expect(reply.safeParse({ iceServers: [{ urls: ['turn:127.0.0.1:3478?transport=tcp', 'turns:turn.acme.test:5349'], username: '1700000000:u1', credential: 'abc=' }] }).success).toBe(true);
    expect(reply.safeParse({ iceServers: [{ urls: ['stun:stun.acme.test:3478'] }] }).success).toBe(true);
    for (const urls of [[], ['http://turn.acme.test'], ['javascript:alert(1)'], 'turn:127.0.0.1']) {
      expect(reply.safeParse({ iceServers: [{ urls }] }).success, JSON.stringify(urls)).toBe(false);
    }
  });

  it('ICE candidates: a bounded candidate: line, a mid, null for the end; anything else refused', () => {
    const payload = clientEvents['media:candidate'].payload;
    const ok = good['media:candidate'] as { candidate: object };
    expect(payload.safeParse({ callId: 'a', role: 'host', candidate: null }).success).toBe(true);
    expect(payload.safeParse({ callId: 'a', role: 'host', candidate: { candidate: 'candidate:1 1 udp 1 192.0.2.7 9 typ host', sdpMid: null } }).success).toBe(true);
    const bad: unknown[] = [
      { ...ok, role: 'admin' },
      { ...ok, callId: '../x' },
      { callId: 'a', role: 'host' },
      { ...ok, candidate: { candidate: 'a=candidate:1 1 udp 1 192.0.2.7 9 typ host', sdpMid: '0' } },
      { ...ok, candidate: { candidate: 'candidate:', sdpMid: '0' } },
      { ...ok, candidate: { candidate: 'candidate:1 1 udp 1 192.0.2.7 9 typ host\r\na=setup:passive', sdpMid: '0' } },
      { ...ok, candidate: { candidate: 'candidate:' + 'x'.repeat(600), sdpMid: '0' } },
      { ...ok, candidate: { candidate: 'candidate:1 1 udp 1 192.0.2.7 9 typ host' } },
      { ...ok, candidate: { candidate: 'candidate:1 1 udp 1 192.0.2.7 9 typ host', sdpMid: 'm'.repeat(33) } },
      { ...ok, candidate: { candidate: 'candidate:1 1 udp 1 192.0.2.7 9 typ host', sdpMid: '0', usernameFragment: 'a b' } },
      { ...ok, candidate: 'candidate:1 1 udp 1 192.0.2.7 9 typ host' },
    ];
    for (const p of bad) expect(payload.safeParse(p).success, JSON.stringify(p)).toBe(false);
    // The server's push has the same shape.
    expect(serverEvents['media:candidate'].safeParse(good['media:candidate']).success).toBe(true);
    expect(serverEvents['media:candidate'].safeParse(bad[3]).success).toBe(false);
  });

  it('server pushes have schemas', () => {
    expect(serverEvents['call:ended'].safeParse({ callId: 'a', reason: 'host-timeout' }).success).toBe(true);
    expect(serverEvents['call:ended'].safeParse({ callId: 'a', reason: 'boom' }).success).toBe(false);
  });
});

describe('IPC and results', () => {
  it('validates settings', () => {
    expect(SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, serverUrl: 'https://bp.acme.test' }).success).toBe(true);
    for (const clipHotkey of ['K', 'Shift+', 'CommandOrControl+Shift+K+J', 'Ctrl+Shift+<script>']) {
      expect(SettingsSchema.shape.clipHotkey.safeParse(clipHotkey).success, clipHotkey).toBe(false);
    }
    expect(SettingsSchema.shape.clipHotkey.safeParse('Alt+F9').success).toBe(true);
    expect(SettingsSchema.shape.preRollSec.safeParse(121).success).toBe(false);
    for (const serverUrl of ['javascript:alert(1)', 'file:///etc/passwd', 'https://user:pw@host.test', 'not a url']) {
      expect(SettingsSchema.shape.serverUrl.safeParse(serverUrl).success, serverUrl).toBe(false);
    }
    expect(ipcChannels['token:set'].payload.safeParse({ token: 42 }).success).toBe(false);
  });

  it('parses bullpen:// clip links and nothing else', () => {
    expect(parseAppLink('bullpen://clip/abc_123')).toEqual({ kind: 'clip', id: 'abc_123' });
    expect(parseAppLink('BULLPEN://Clip/abc/')).toEqual({ kind: 'clip', id: 'abc' });
    for (const url of ['bullpen://clip/../x', 'bullpen://clip/%2e%2e', 'bullpen://evil/x', 'https://clip/x', 'bullpen://clip/a/b', 'bullpen://clip/']) {
      expect(parseAppLink(url), url).toBeNull();
    }
  });

  it('parses result envelopes', () => {
    const schema = resultSchema(clientEvents['call:end'].reply);
    expect(schema.safeParse({ ok: true, value: {} }).success).toBe(true);
    expect(schema.safeParse({ ok: false, error: { code: 'CALL_ENDED', message: 'x' } }).success).toBe(true);
    expect(schema.safeParse({ ok: false, error: { code: 'WHATEVER', message: 'x' } }).success).toBe(false);
  });
});

describe('inviteGrant', () => {
  it('grants the invite’s role while its creator may invite, capped at the creator’s role', () => {
    expect(inviteGrant('manager', 'admin')).toBe('manager');
    expect(inviteGrant('admin', 'admin')).toBe('admin');
  });
  it('is void once the creator is gone or may no longer invite', () => {
    expect(inviteGrant('rep', undefined)).toBeNull();
    expect(inviteGrant('admin', 'manager')).toBeNull();
    expect(inviteGrant('rep', 'rep')).toBeNull();
  });
});
