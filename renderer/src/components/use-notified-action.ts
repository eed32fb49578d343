import { useCallback, useState } from 'react';
import type { Result } from '../../../contract';
import { describeError } from '../api/errors';
import { notify } from '../state/store';

/**
 * Runs a one-shot REST action (delete, mark reviewed) behind a busy flag and reports its outcome
 * as a notice: the error when it fails, otherwise `success` (text, or made from the reply)
 * followed by `then()`.
 */
export function useNotifiedAction(): [
  busy: boolean,
  run: <T>(call: () => Promise<Result<T>>, success: string | ((value: T) => string), then: () => void) => Promise<void>,
] {
  const [busy, setBusy] = useState(false);
  const run = useCallback(async <T>(call: () => Promise<Result<T>>, success: string | ((value: T) => string), then: () => void) => {
    setBusy(true);
    const reply = await call();
    setBusy(false);
    if (!reply.ok) {
      notify(describeError(reply.error), 'error');
      return;
    }
    notify(typeof success === 'string' ? success : success(reply.value), 'success');
    then();
  }, []);
  return [busy, run];
}
