import { routes } from '../../contract';
import type { TalkTrackService } from '../talk-tracks/talk-track-service';
import type { ContractRoutes } from './contract-routes';

/** Declares the talk track routes: each parses (the contract does), calls one service method, replies. */
export function registerTalkTrackRoutes(router: ContractRoutes, tracks: TalkTrackService): void {
  router.authed(routes.talkTracks, async ({ caller, query }) => ({ tracks: await tracks.list(caller, query) }));
  router.authed(routes.createTalkTrack, async ({ caller, body }) => ({ track: await tracks.create(caller, body) }));
  router.authed(routes.talkTrack, async ({ caller, params }) => ({ track: await tracks.detail(caller, params.id) }));
  router.authed(routes.updateTalkTrack, async ({ caller, params, body }) => ({ track: await tracks.update(caller, params.id, body) }));
  router.authed(routes.deleteTalkTrack, async ({ caller, params }) => {
    await tracks.delete(caller, params.id);
    return {};
  });
  router.authed(routes.talkTrackVersions, async ({ caller, params }) => ({ versions: await tracks.versions(caller, params.id) }));
  router.authed(routes.talkTrackVersion, async ({ caller, params }) => ({ version: await tracks.version(caller, params.id, params.version) }));
  router.authed(routes.restoreTalkTrackVersion, async ({ caller, params, body }) => ({
    track: await tracks.restore(caller, params.id, params.version, body.baseVersion),
  }));
  router.authed(routes.addTalkTrackExample, async ({ caller, params, body }) => ({ track: await tracks.addExample(caller, params.id, body) }));
  router.authed(routes.clipTalkTracks, async ({ caller, params }) => ({ tracks: await tracks.citing(caller, params.id) }));
}
