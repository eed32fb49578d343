/**
 * What the "Update ready — restart" banner says and offers, from the downloaded version and
 * what the person is doing. Pure, so each case is unit-tested.
 */

/** What the person is doing right now, as far as restarting the app is concerned. */
export type UpdateActivity = 'idle' | 'hosting' | 'listening';

export interface UpdateBannerModel {
  message: string;
  /** The restart button's label, or null when restarting now would cut a call. */
  restart: string | null;
}

/**
 * The banner for a downloaded update, or null when there is none. While hosting or listening
 * it offers no restart: restarting ends the call for every listener (or drops this one), and
 * the update installs by itself when the app quits.
 */
export function updateBanner(version: string | null, activity: UpdateActivity, installing: boolean): UpdateBannerModel | null {
  if (version === null) return null;
  if (installing) return { message: `Restarting to install Bullpen ${version}…`, restart: null };
  switch (activity) {
    case 'hosting':
      return { message: `Update ready: Bullpen ${version}. Restart after your call (it also installs when you quit).`, restart: null };
    case 'listening':
      return { message: `Update ready: Bullpen ${version}. Restart after you leave the call (it also installs when you quit).`, restart: null };
    case 'idle':
      return { message: `Update ready — restart to use Bullpen ${version}.`, restart: 'Restart' };
  }
}
