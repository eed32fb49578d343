import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { audioPaths, parse, routes, SetupBody } from '../../contract';
import { startServer } from '../../server/app';
import { createLogger } from '../../server/logger';
import { goLive, onCleanup, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import { rawRequest } from '../helpers/raw-http';
import { addMember, api, request, setupTeam, startTestServer, unwrap } from '../helpers/test-server';

afterEach(runCleanups);

/** A server whose log lines are kept for the test to read. */
async function loggedServer() {
  const dataDir = await mkdtemp(join(tmpdir(), 'bullpen-log-'));
  const lines: string[] = [];
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, log: createLogger({ level: 'info', write: (line) => lines.push(line) }) });
  onCleanup(() => rm(dataDir, { recursive: true, force: true }));
  onCleanup(() => server.close());
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { server, lines, entries };
}

describe('request logging', () => {
  it('logs one line per request with its id, method, path, status and time, and never a token, password or query', async () => {
    const { server, lines, entries } = await loggedServer();
    const admin = await setupTeam(server.url);
    const password = 'correct horse battery';
    const signedIn = await fetch(`${server.url}${routes.login.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'edge-42.a' },
      body: JSON.stringify({ email: admin.user.email, password }),
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('x-request-id')).toBe('edge-42.a');
    const { token } = ((await signedIn.json()) as { value: { token: string } }).value;
    const search = await fetch(`${server.url}/api/clips?q=confidential-pricing&limit=5`, {
      headers: { authorization: `Bearer ${token}`, 'x-request-id': 'not a sane id; drop table' },
    });
    expect(search.status).toBe(200);
    const generated = search.headers.get('x-request-id')!;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const invite = unwrap((await api(server.url, routes.createInvite, { token, body: { role: 'rep' } })).result).invite;
    expect((await api(server.url, routes.invitePreview, { params: { code: invite.code } })).status).toBe(200);

    const requestLines = entries().filter((e) => e.msg === 'request');
    expect(requestLines.find((e) => e.reqId === 'edge-42.a')).toMatchObject({
      level: 'info',
      method: 'POST',
      path: '/api/auth/login',
      status: 200,
    });
    const searchLine = requestLines.find((e) => e.reqId === generated)!;
    expect(searchLine).toMatchObject({ method: 'GET', path: '/api/clips', status: 200 });
    expect(typeof searchLine.ms).toBe('number');
    expect(typeof searchLine.t).toBe('string');
    expect(requestLines.find((e) => e.path === '/api/invites/:code/preview')).toMatchObject({ status: 200 });
    const all = lines.join('\n');
    for (const secret of [token, admin.token, password, 'confidential-pricing', invite.code, 'Bearer']) expect(all).not.toContain(secret);
  });
});

describe('validation and CORS', () => {
  it('gives the same field-named message as the contract parse()', async () => {
    const server = await startTestServer();
    onCleanup(() => server.stop());
    const body = { teamName: 'T', name: 'A', email: 'not-an-email', password: 'correct horse battery' };
    const expected = parse(SetupBody, body);
    expect(expected.ok).toBe(false);
    const res = await api(server.url, routes.setup, { body });
    expect(res.status).toBe(400);
    expect(res.result).toEqual(expected);
    const badId = await rawRequest(`${server.url}/api/clips/not%20an%20id`, { headers: { authorization: 'Bearer x' } });
    expect(badId.status).toBe(401);
  });

  it('lets allowed origins call the API and no others', async () => {
    const server = await startTestServer({ allowedOrigins: ['https://review.acme.test'] });
    onCleanup(() => server.stop());
    for (const origin of ['bullpen-app://app', 'https://review.acme.test']) {
      const preflight = await rawRequest(`${server.url}/api/me`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(origin);
      expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
      const res = await rawRequest(`${server.url}/api/setup`, { headers: { origin } });
      expect(res.headers['access-control-allow-origin']).toBe(origin);
    }
    const evil = await rawRequest(`${server.url}/api/setup`, { headers: { origin: 'https://evil.test' } });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('audio files', () => {
  it('serves a recording with Range, If-Range, ETag, 206/304/416 and HEAD, and only to those who may hear it', async () => {
    const { server, admin } = await serverWithTeam();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const hostSocket = await socketFor(server, mentor);
    const { host, call } = await goLive(hostSocket, { recording: { enabled: true, customerInformed: true }, policy: 'managers' });
    await host.sendOpus(encodeSineOpus({ frames: 50, leftHz: 440, rightHz: 330 }));
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
    const url = server.url + audioPaths.recording(call.id);
    const auth = { authorization: `Bearer ${mentor.token}` };

    const full = await rawRequest(url, { headers: auth });
    expect(full.status).toBe(200);
    expect(full.headers['content-type']).toBe('audio/ogg');
    expect(full.headers['accept-ranges']).toBe('bytes');
    expect(full.headers['cache-control']).toBe('private, no-cache');
    expect(full.headers['content-disposition']).toBe(`inline; filename="Discovery with Initech.ogg"; filename*=UTF-8''Discovery%20with%20Initech.ogg`);
    expect(full.body.subarray(0, 4).toString()).toBe('OggS');
    const etag = String(full.headers.etag);
    expect(etag).toBeTruthy();
    const size = full.body.length;

    const part = await rawRequest(url, { headers: { ...auth, range: 'bytes=10-29' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-29/${size}`);
    expect(part.body.equals(full.body.subarray(10, 30))).toBe(true);
    const suffix = await rawRequest(url, { headers: { ...auth, range: 'bytes=-16' } });
    expect(suffix.body.equals(full.body.subarray(size - 16))).toBe(true);
    // If-Range: the range only while the file is the one the client has; a stale tag gets it all.
    expect((await rawRequest(url, { headers: { ...auth, range: 'bytes=0-9', 'if-range': etag } })).status).toBe(206);
    const stale = await rawRequest(url, { headers: { ...auth, range: 'bytes=0-9', 'if-range': 'W/"stale"' } });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBe(size);
    const beyond = await rawRequest(url, { headers: { ...auth, range: `bytes=${size + 10}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${size}`);
    expect(beyond.json()).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect((await rawRequest(url, { headers: { ...auth, 'if-none-match': etag } })).status).toBe(304);
    const head = await rawRequest(url, { method: 'HEAD', headers: auth });
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(size);
    expect(head.body.length).toBe(0);

    // A rep may not hear a managers-only call: the same 404 as for a recording that never existed.
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const hidden = await rawRequest(url, { headers: { authorization: `Bearer ${rep.token}` } });
    expect(hidden.status).toBe(404);
    expect(hidden.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await rawRequest(server.url + audioPaths.recording('nope'), { headers: auth })).status).toBe(404);
    expect((await rawRequest(url)).status).toBe(401);
    expect((await rawRequest(url, { method: 'DELETE', headers: auth })).headers.allow).toBe('GET, HEAD');
  });
});
