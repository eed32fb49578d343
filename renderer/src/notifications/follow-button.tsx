import { Button } from '../components/feedback';
import { useAppStore } from '../state/store';
import { useFollows } from './use-notification-actions';

/**
 * Follow / Following toggle for one teammate (not shown for oneself). Following someone means
 * hearing when they go live (when their call lets you listen).
 */
export function FollowButton({ personId, name, size = 'sm' }: { personId: string; name: string; size?: 'sm' | 'md' }) {
  const meId = useAppStore((s) => s.me?.user.id);
  const { ids, loaded, toggle } = useFollows();
  if (!loaded || personId === meId) return null;
  const following = ids.has(personId);
  const busy = toggle.isPending && toggle.variables.id === personId;
  return (
    <Button
      variant={following ? 'secondary' : 'ghost'}
      className={`btn ${following ? 'btn-secondary' : 'btn-ghost'}${size === 'sm' ? ' btn-sm' : ''}`}
      aria-pressed={following}
      aria-label={following ? `Unfollow ${name}` : `Follow ${name}`}
      title={following ? `You hear when ${name} goes live. Click to unfollow.` : `Hear when ${name} goes live`}
      busy={busy}
      onClick={() => toggle.mutate({ id: personId, name, follow: !following })}
      data-testid="follow-button"
    >
      {following ? 'Following' : 'Follow'}
    </Button>
  );
}
