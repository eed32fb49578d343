import { useEffect, useState } from 'react';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';
import { updateBanner, type UpdateActivity } from './update-banner-model';

/**
 * Desktop: says when a new version has downloaded and offers to restart into it (not during
 * a call). Renders nothing in the browser, whose platform never reports an update.
 */
export function UpdateBanner() {
  const session = useSession();
  const [version, setVersion] = useState<string | null>(null);
  const [installing, setInstalling] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const activity = useAppStore((s): UpdateActivity => {
    if (s.host.phase === 'live' || s.host.phase === 'ending') return 'hosting';
    const listening = s.listen.phase === 'joining' || s.listen.phase === 'connecting' || s.listen.phase === 'playing' || s.listen.phase === 'rejoining';
    return listening ? 'listening' : 'idle';
  });
  useEffect(() => session.platform.onUpdateReady(setVersion), [session]);

  const model = updateBanner(version, activity, installing);
  if (!model) return null;
  const restart = async () => {
    setInstalling(true);
    setError(null);
    const failure = await session.platform.installUpdate();
    // On success the app quits; a refusal leaves the banner up with the reason.
    if (failure) {
      setInstalling(false);
      setError(failure);
    }
  };
  return (
    <div className="banner banner-info" role="status" data-testid="update-banner">
      <span>{model.message}</span>
      {model.restart ? (
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void restart()}>
          {model.restart}
        </button>
      ) : null}
      {error ? <span className="banner-error">{error}</span> : null}
    </div>
  );
}
