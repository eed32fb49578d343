import { describe, expect, it } from 'vitest';
import { rtcConfig } from '../../../../server/media/peer-connection';

describe('rtcConfig', () => {
  it('shares one UDP port between every connection by default (ICE UDP mux on a free port)', () => {
    expect(rtcConfig({})).toEqual({ iceServers: [], enableIceUdpMux: true });
  });

  it('uses the given mux port, also over a port range', () => {
    const mux = { enableIceUdpMux: true, portRangeBegin: 4280, portRangeEnd: 4280 };
    expect(rtcConfig({ udpMuxPort: 4280 })).toEqual({ iceServers: [], ...mux });
    expect(rtcConfig({ udpMuxPort: 4280, portRange: { begin: 40_000, end: 40_999 } })).toEqual({ iceServers: [], ...mux });
  });

  it('binds a port per connection from the range in per-connection mode', () => {
    expect(rtcConfig({ portRange: { begin: 40_000, end: 40_999 }, iceServers: ['stun:stun.example.com:3478'] })).toEqual({
      iceServers: ['stun:stun.example.com:3478'],
      portRangeBegin: 40_000,
      portRangeEnd: 40_999,
    });
  });
});
