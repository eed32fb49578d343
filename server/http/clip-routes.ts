import type { FastifyReply } from 'fastify';
import { audioRoutes, BullpenError, can, ListenPolicy, routes, type RecordingSummary } from '../../contract';
import type { AuditLog } from '../audit/audit-log';
import type { Caller } from '../auth/auth-service';
import type { HostControls } from '../calls/host-controls';
import { listenDecision } from '../calls/policy';
import { viewerOf, type ClipService } from '../clips/clip-service';
import type { DiskUsageService } from '../clips/disk-usage';
import type { RecordingService } from '../clips/recording-service';
import type { ClipStore } from '../store/clip-store';
import type { RecordingRecord, RecordingStore } from '../store/recording-store';
import type { TeamStore } from '../store/team-store';
import type { TalkTrackService } from '../talk-tracks/talk-track-service';
import { sendAudioFile, sendAudioStream } from './audio-files';
import type { ContractRoutes } from './contract-routes';

export interface ClipRouteDeps {
  clips: ClipService;
  clipStore: ClipStore;
  recordings: RecordingService;
  recordingStore: RecordingStore;
  teams: TeamStore;
  diskUsage: DiskUsageService;
  /** The team's talk track setting (reps writing) lives beside retention in the team settings. */
  talkTracks: Pick<TalkTrackService, 'repsMayWrite' | 'setRepsMayWrite'>;
  /** Downloads of clip and recording audio, and retention changes, are written here. */
  audit: AuditLog;
  /** "Managers can always join calls" lives with the other team settings too. */
  hostControls: Pick<HostControls, 'managersAlwaysJoin' | 'setManagersAlwaysJoin'>;
  /** Tells connected clients of a team that its library changed. */
  onTeamSettingsChanged?(teamId: string): void;
}

/**
 * May the caller use a call's recording (play it, clip from it)? The host, managers and admins,
 * and whoever the call's listen policy let listen.
 */
export async function mayUseRecording(caller: Caller, rec: RecordingRecord, teams: TeamStore): Promise<boolean> {
  if (rec.hostId === caller.user.id || can.seeEverything(caller.user.role)) return true;
  const policy = ListenPolicy.safeParse(rec.policy);
  if (!policy.success) return false;
  const isMenteeOfHost = await teams.isMentorOf(rec.hostId, caller.user.id);
  return listenDecision(caller.user, rec.hostId, policy.data, { isMenteeOfHost }).allowed;
}

/** Declares the library, clip, comment, recording and team-settings routes. */
export function registerClipRoutes(router: ContractRoutes, deps: ClipRouteDeps): void {
  const { clips, recordings, recordingStore, teams } = deps;

  const keptRecording = async (caller: Caller, callId: string): Promise<RecordingRecord> => {
    const rec = await recordingStore.get(caller.team.id, callId);
    if (!rec || rec.state !== 'kept' || !(await mayUseRecording(caller, rec, teams))) {
      throw new BullpenError('NOT_FOUND', 'This recording was deleted or you cannot use it.');
    }
    return rec;
  };
  const summary = async (caller: Caller, rec: RecordingRecord): Promise<RecordingSummary> => ({
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
    clipCount: await deps.clipStore.countVisibleForCall(viewerOf(caller.user), rec.callId),
    canDiscard: rec.state === 'kept' && (rec.hostId === caller.user.id || can.seeEverything(caller.user.role)),
  });
  const retention = async (caller: Caller) => ({
    settings: {
      retentionDays: await recordingStore.retentionDays(caller.team.id),
      repsWriteTalkTracks: await deps.talkTracks.repsMayWrite(caller.team.id),
      managersAlwaysJoin: await deps.hostControls.managersAlwaysJoin(caller.team.id),
    },
  });

  router.authed(routes.teamSettings, async ({ caller }) => await retention(caller));
  router.authed(routes.updateTeamSettings, async ({ caller, body }) => {
    if (!can.manageTeam(caller.user.role)) throw new BullpenError('FORBIDDEN', 'Only admins can do that.');
    if (body.retentionDays !== undefined) {
      const before = await recordingStore.retentionDays(caller.team.id);
      await recordingStore.setRetentionDays(caller.team.id, body.retentionDays);
      if (before !== body.retentionDays) {
        await deps.audit.record(caller.team.id, {
          kind: 'retention-changed',
          actor: { id: caller.user.id, name: caller.user.name },
          detail: `recordings kept ${before} → ${body.retentionDays} days`,
        });
      }
    }
    if (body.repsWriteTalkTracks !== undefined) await deps.talkTracks.setRepsMayWrite(caller, body.repsWriteTalkTracks);
    if (body.managersAlwaysJoin !== undefined) await deps.hostControls.setManagersAlwaysJoin(caller, body.managersAlwaysJoin);
    return await retention(caller);
  });

  router.authed(routes.teamUsage, async ({ caller }) => ({ usage: await deps.diskUsage.forTeam(caller) }));

  router.authed(routes.clips, async ({ caller, query }) => ({ clips: await clips.library(caller, query) }));
  router.authed(routes.clip, async ({ caller, params }) => await clips.detail(caller, params.id));
  router.authed(routes.updateClip, async ({ caller, params, body }) => ({ clip: await clips.update(caller, params.id, body) }));
  router.authed(routes.deleteClip, async ({ caller, params }) => {
    await clips.delete(caller, params.id);
    return {};
  });
  router.authed(routes.addComment, async ({ caller, params, body }) => ({ comment: await clips.addComment(caller, params.id, body) }));
  router.authed(routes.editComment, async ({ caller, params, body }) => ({ comment: await clips.editComment(caller, params.id, body.body) }));
  router.authed(routes.deleteComment, async ({ caller, params }) => {
    await clips.deleteComment(caller, params.id);
    return {};
  });
  router.file(audioRoutes.clip, async ({ caller, params, reply }) => {
    const clip = await clips.visibleClip(caller, params.id);
    if (clip.status !== 'ready') throw new BullpenError('NOT_FOUND', 'This clip is still being cut. Try again in a moment.');
    const audio = clips.audio(clip.id);
    const name = clip.title || clip.callTitle;
    const sent =
      'path' in audio
        ? await sendAudioFile(reply, audio.path, name)
        : await sendAudioStream(reply, { size: clip.bytes, open: (range) => audio.objects.get(audio.key, range) }, name);
    await deps.audit.downloaded(caller, 'clip-downloaded', { id: clip.id, label: clip.title || clip.callTitle }, requestOf(reply));
    return sent;
  });

  router.authed(routes.recordings, async ({ caller }) => {
    const usable: RecordingSummary[] = [];
    for (const rec of await recordingStore.available(caller.team.id)) {
      if (rec.state === 'kept' && (await mayUseRecording(caller, rec, teams))) usable.push(await summary(caller, rec));
    }
    return { recordings: usable };
  });
  router.authed(routes.recording, async ({ caller, params }) => ({ recording: await summary(caller, await keptRecording(caller, params.id)) }));
  router.authed(routes.clipFromRecording, async ({ caller, params, body }) => {
    const rec = await keptRecording(caller, params.id);
    return { clip: await clips.fromRecording(caller, rec.callId, body) };
  });
  router.authed(routes.discardRecording, async ({ caller, params }) => {
    const rec = await keptRecording(caller, params.id);
    if (rec.hostId !== caller.user.id && !can.seeEverything(caller.user.role)) {
      throw new BullpenError('FORBIDDEN', 'Only the host of the call or a manager can delete its recording.');
    }
    await recordings.discard(caller.team.id, rec.callId);
    return {};
  });
  router.file(audioRoutes.recording, async ({ caller, params, reply }) => {
    const rec = await keptRecording(caller, params.id);
    const audio = await recordings.audio(rec.callId);
    if (!audio) throw new BullpenError('NOT_FOUND', 'This audio is no longer available.');
    const sent =
      'path' in audio
        ? await sendAudioFile(reply, audio.path, rec.callTitle)
        : await sendAudioStream(reply, { size: audio.segments.size, open: async (range) => audio.segments.stream(range) }, rec.callTitle);
    await deps.audit.downloaded(caller, 'recording-downloaded', { id: rec.callId, label: rec.callTitle }, requestOf(reply));
    return sent;
  });
}

/** What the audit log's download rule reads of an audio request: its method and Range. */
function requestOf(reply: FastifyReply): { method: string; range: string | undefined } {
  return { method: reply.request.method, range: reply.request.headers.range };
}
