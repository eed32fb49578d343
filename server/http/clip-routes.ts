import { BullpenError, can, ListenPolicy, routes, type RecordingSummary } from '../../contract';
import type { Caller } from '../auth/auth-service';
import { listenDecision } from '../calls/policy';
import type { ClipService } from '../clips/clip-service';
import type { RecordingService } from '../clips/recording-service';
import type { ClipStore } from '../store/clip-store';
import type { RecordingRecord, RecordingStore } from '../store/recording-store';
import type { TeamStore } from '../store/team-store';
import { sendAudioFile } from './audio-files';
import type { Router } from './router';

export interface ClipRouteDeps {
  clips: ClipService;
  clipStore: ClipStore;
  recordings: RecordingService;
  recordingStore: RecordingStore;
  teams: TeamStore;
  /** Tells connected clients of a team that its library changed. */
  onTeamSettingsChanged?(teamId: string): void;
}

/**
 * May the caller use a call's recording (play it, clip from it)? The host, managers and admins,
 * and whoever the call's listen policy let listen.
 */
export function mayUseRecording(caller: Caller, rec: RecordingRecord, teams: TeamStore): boolean {
  if (rec.hostId === caller.user.id || can.seeEverything(caller.user.role)) return true;
  const policy = ListenPolicy.safeParse(rec.policy);
  if (!policy.success) return false;
  return listenDecision(caller.user, rec.hostId, policy.data, { isMenteeOfHost: teams.isMentorOf(rec.hostId, caller.user.id) }).allowed;
}

/** Registers the library, clip, comment, recording and team-settings routes. */
export function registerClipRoutes(router: Router, deps: ClipRouteDeps): void {
  const { clips, recordings, recordingStore, teams } = deps;

  const keptRecording = (caller: Caller, callId: string): RecordingRecord => {
    const rec = recordingStore.get(caller.team.id, callId);
    if (!rec || rec.state !== 'kept' || !mayUseRecording(caller, rec, teams)) {
      throw new BullpenError('NOT_FOUND', 'This recording was deleted or you cannot use it.');
    }
    return rec;
  };
  const summary = (caller: Caller, rec: RecordingRecord): RecordingSummary => ({
    callId: rec.callId,
    callTitle: rec.callTitle,
    account: rec.account,
    hostId: rec.hostId,
    hostName: rec.hostName,
    startedAt: rec.startedAt,
    endedAt: rec.endedAt,
    durationMs: rec.durationMs,
    state: rec.state === 'recording' ? 'recording' : 'kept',
    expiresAt: rec.expiresAt,
    consentBy: rec.consentByName,
    consentAt: rec.consentAt,
    clipCount: deps.clipStore.countForCall(rec.callId),
    canDiscard: rec.state === 'kept' && (rec.hostId === caller.user.id || can.seeEverything(caller.user.role)),
  });

  router.authed(routes.teamSettings, ({ caller }) => ({ settings: { retentionDays: recordingStore.retentionDays(caller.team.id) } }));
  router.authed(routes.updateTeamSettings, ({ caller, body }) => {
    if (!can.manageTeam(caller.user.role)) throw new BullpenError('FORBIDDEN', 'Only admins can do that.');
    if (body.retentionDays !== undefined) recordingStore.setRetentionDays(caller.team.id, body.retentionDays);
    return { settings: { retentionDays: recordingStore.retentionDays(caller.team.id) } };
  });

  router.authed(routes.clips, ({ caller, query }) => ({ clips: clips.library(caller, query) }));
  router.authed(routes.clip, ({ caller, params }) => clips.detail(caller, params.id ?? ''));
  router.authed(routes.updateClip, ({ caller, params, body }) => ({ clip: clips.update(caller, params.id ?? '', body) }));
  router.authed(routes.deleteClip, ({ caller, params }) => {
    clips.delete(caller, params.id ?? '');
    return {};
  });
  router.authed(routes.addComment, ({ caller, params, body }) => ({ comment: clips.addComment(caller, params.id ?? '', body) }));
  router.authed(routes.editComment, ({ caller, params, body }) => ({ comment: clips.editComment(caller, params.id ?? '', body.body) }));
  router.authed(routes.deleteComment, ({ caller, params }) => {
    clips.deleteComment(caller, params.id ?? '');
    return {};
  });
  router.rawGet('/api/clips/:id/audio', async ({ caller, params }, req, res) => {
    const clip = clips.visibleClip(caller, params.id ?? '');
    if (clip.status !== 'ready') throw new BullpenError('NOT_FOUND', 'This clip is still being cut. Try again in a moment.');
    await sendAudioFile(req, res, clips.audioPath(clip.id), clip.title || clip.callTitle);
  });

  router.authed(routes.recordings, ({ caller }) => ({
    recordings: recordingStore
      .available(caller.team.id)
      .filter((rec) => rec.state === 'kept' && mayUseRecording(caller, rec, teams))
      .map((rec) => summary(caller, rec)),
  }));
  router.authed(routes.recording, ({ caller, params }) => ({ recording: summary(caller, keptRecording(caller, params.id ?? '')) }));
  router.authed(routes.clipFromRecording, async ({ caller, params, body }) => {
    const rec = keptRecording(caller, params.id ?? '');
    return { clip: await clips.fromRecording(caller, rec.callId, body) };
  });
  router.authed(routes.discardRecording, ({ caller, params }) => {
    const rec = keptRecording(caller, params.id ?? '');
    if (rec.hostId !== caller.user.id && !can.seeEverything(caller.user.role)) {
      throw new BullpenError('FORBIDDEN', 'Only the host of the call or a manager can delete its recording.');
    }
    recordings.discard(caller.team.id, rec.callId);
    return {};
  });
  router.rawGet('/api/recordings/:id/audio', async ({ caller, params }, req, res) => {
    const rec = keptRecording(caller, params.id ?? '');
    await sendAudioFile(req, res, recordings.audioPath(rec.callId), rec.callTitle);
  });
}
