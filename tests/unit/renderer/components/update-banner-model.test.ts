import { describe, expect, it } from 'vitest';
import { updateBanner } from '../../../../renderer/src/components/update-banner-model';

describe('updateBanner', () => {
  it('shows nothing until an update has downloaded', () => {
    expect(updateBanner(null, 'idle', false)).toBeNull();
    expect(updateBanner(null, 'hosting', false)).toBeNull();
  });

  it('offers a restart when the person is not on a call', () => {
    expect(updateBanner('1.4.0', 'idle', false)).toEqual({ message: 'Update ready — restart to use Bullpen 1.4.0.', restart: 'Restart' });
  });

  it('never offers a restart during a call, and says when to restart instead', () => {
    const hosting = updateBanner('1.4.0', 'hosting', false);
    expect(hosting?.restart).toBeNull();
    expect(hosting?.message).toMatch(/after your call/);
    const listening = updateBanner('1.4.0', 'listening', false);
    expect(listening?.restart).toBeNull();
    expect(listening?.message).toMatch(/after you leave the call/);
  });

  it('says it is restarting once clicked, without a second button', () => {
    expect(updateBanner('1.4.0', 'idle', true)).toEqual({ message: 'Restarting to install Bullpen 1.4.0…', restart: null });
  });
});
