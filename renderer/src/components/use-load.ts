import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError, Result } from '../../../contract';

export type Loaded<T> = { status: 'loading' } | { status: 'error'; error: AppError } | { status: 'ok'; value: T };

function toLoaded<T>(result: Result<T>): Loaded<T> {
  return result.ok ? { status: 'ok', value: result.value } : { status: 'error', error: result.error };
}

/**
 * Loads data with a `Result`-returning call whenever `key` changes; `reload()` fetches it
 * again while still showing what was loaded before (no flicker).
 */
export function useLoad<T>(key: string, load: () => Promise<Result<T>>): [Loaded<T>, () => void] {
  const [state, setState] = useState<{ key: string; value: Loaded<T> } | null>(null);
  const [version, setVersion] = useState(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  useEffect(() => {
    let cancelled = false;
    void loadRef.current().then((result) => {
      if (!cancelled) setState({ key, value: toLoaded(result) });
    });
    return () => {
      cancelled = true;
    };
  }, [key, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return [state && state.key === key ? state.value : { status: 'loading' }, reload];
}
