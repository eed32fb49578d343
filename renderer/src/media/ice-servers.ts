import type { SocketClient } from '../api/socket-client';

/**
 * The ICE servers for the next media connection, asked fresh each time (`media:ice-servers`):
 * TURN credentials are short-lived, so every publish, republish and join gets new ones. None when
 * the server has no TURN configured, and none when it cannot be asked (disconnected, limited):
 * the connection then tries the direct path, as it always did, and its own retry asks again.
 */
export async function fetchIceServers(socket: Pick<SocketClient, 'request'> | null): Promise<RTCIceServer[]> {
  if (!socket) return [];
  const reply = await socket.request('media:ice-servers', {});
  if (!reply.ok) return [];
  return reply.value.iceServers.map(({ urls, username, credential }) => ({
    urls,
    ...(username !== undefined ? { username } : {}),
    ...(credential !== undefined ? { credential } : {}),
  }));
}
