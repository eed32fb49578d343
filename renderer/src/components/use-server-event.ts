import { useEffect, useRef } from 'react';
import type { ServerEventName, ServerPayload } from '../../../contract';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';

/**
 * Calls `handler` for each push of `event` while the component is mounted. Re-subscribes when
 * the connection changes (sign-in, reconnect); `onReconnected` runs after a drop, when pushes
 * may have been missed, so screens can refetch.
 */
export function useServerEvent<E extends ServerEventName>(
  event: E,
  handler: (payload: ServerPayload<E>) => void,
  onReconnected?: () => void,
): void {
  const session = useSession();
  const online = useAppStore((s) => s.connection === 'online');
  const handlerRef = useRef(handler);
  const reconnectRef = useRef(onReconnected);
  const wasOnline = useRef(online);
  useEffect(() => {
    handlerRef.current = handler;
    reconnectRef.current = onReconnected;
  });
  useEffect(() => {
    if (online && !wasOnline.current) reconnectRef.current?.();
    wasOnline.current = online;
    return session.onServerEvent(event, (payload) => handlerRef.current(payload));
  }, [session, event, online]);
}
