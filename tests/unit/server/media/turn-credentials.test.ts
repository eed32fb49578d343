import { describe, expect, it } from 'vitest';
import { iceServersFor, turnCredential } from '../../../../server/media/turn-credentials';

const SECRET = 'bullpen-test-turn-secret-0123456789';

describe('turnCredential (coturn REST API shared-secret scheme)', () => {
  it('matches a vector computed independently', () => {
    // printf '%s' '1700000000:user-1' | openssl dgst -sha1 -hmac 'bullpen-test-turn-secret-0123456789' -binary | base64
    expect(turnCredential(SECRET, 'user-1', 3600, 1_699_996_400_000)).toEqual({
      username: '1700000000:user-1',
      credential: 'PBj2xaQbpI8odGcREcYongIoWCc=',
    });
  });

  it('expires ttlSec after now, in whole seconds', () => {
    expect(turnCredential(SECRET, 'u', 60, 1_000_999).username).toBe('1060:u');
    expect(turnCredential(SECRET, 'u', 86_400, 0).username).toBe('86400:u');
  });

  it('differs per person, per expiry and per secret', () => {
    const base = turnCredential(SECRET, 'user-1', 3600, 0).credential;
    expect(turnCredential(SECRET, 'user-2', 3600, 0).credential).not.toBe(base);
    expect(turnCredential(SECRET, 'user-1', 3601, 0).credential).not.toBe(base);
    expect(turnCredential(SECRET + 'x', 'user-1', 3600, 0).credential).not.toBe(base);
  });

  it('refuses a user id with coturn’s separator in it', () => {
    expect(() => turnCredential(SECRET, 'a:b', 60, 0)).toThrow(/cannot contain ":"/);
  });
});

describe('iceServersFor', () => {
  it('is empty without TURN URLs or without a secret', () => {
    expect(iceServersFor({ urls: [], secret: SECRET, ttlSec: 60 }, 'u', 0)).toEqual([]);
    expect(iceServersFor({ urls: ['turn:127.0.0.1:3478'], secret: undefined, ttlSec: 60 }, 'u', 0)).toEqual([]);
  });

  it('hands every URL with one fresh credential', () => {
    const urls = ['turn:turn.acme.test:3478?transport=tcp', 'turns:turn.acme.test:5349?transport=tcp'];
    expect(iceServersFor({ urls, secret: SECRET, ttlSec: 3600 }, 'user-1', 1_699_996_400_000)).toEqual([
      { urls, username: '1700000000:user-1', credential: 'PBj2xaQbpI8odGcREcYongIoWCc=' },
    ]);
  });
});
