import { assertUnreachable, type ClientEventName, type ClientPayload, type ClientReply } from '../../contract';
import type { Caller } from '../auth/auth-service';
import type { ClipService } from '../clips/clip-service';
import type { QuestionService } from '../questions/question-service';
import type { CallRegistry } from './call-registry';
import type { HostControls } from './host-controls';

/**
 * The socket events that act on one live call. In cluster mode each runs on the node that owns
 * the call (its forwarder and recorder live there), whichever node the caller's socket is on.
 */
export const CALL_ACTIONS = [
  'call:publish',
  'call:end',
  'call:pause',
  'call:resume',
  'call:remove-listener',
  'call:set-policy',
  'call:start-recording',
  'listen:join',
  'listen:leave',
  'clip:mark',
  'question:ask',
  'whisper:send',
  'media:candidate',
] as const satisfies readonly ClientEventName[];
export type CallAction = (typeof CALL_ACTIONS)[number];

/** Whether a socket event acts on one live call. */
export function isCallAction(event: string): event is CallAction {
  return (CALL_ACTIONS as readonly string[]).includes(event);
}

/** Who acts: the caller as authenticated for this event, and the socket it came from (any node). */
export interface ActionContext {
  caller: Caller;
  socketId: string;
}

/** Runs call actions, here or on the call's owner (CallRouter); the socket server's one entry. */
export interface CallActionRunner {
  run<E extends CallAction>(event: E, ctx: ActionContext & { token: string }, payload: ClientPayload<E>): Promise<ClientReply<E>>;
}

export interface CallActionsDeps {
  registry: CallRegistry;
  hostControls: HostControls;
  clips: ClipService;
  questions: QuestionService;
}

/**
 * Call actions executed on this node, against the calls of this node's registry. Every check
 * (team, host, listener, policy) runs in the service it belongs to, on the caller given here.
 */
export class CallActions implements CallActionRunner {
  readonly #deps: CallActionsDeps;

  constructor(deps: CallActionsDeps) {
    this.#deps = deps;
  }

  async run<E extends CallAction>(event: E, ctx: ActionContext, payload: ClientPayload<E>): Promise<ClientReply<E>> {
    return (await this.#run(event, ctx, payload as never)) as ClientReply<E>;
  }

  async #run(event: CallAction, { caller, socketId }: ActionContext, payload: ClientPayload<CallAction>): Promise<ClientReply<CallAction>> {
    const { registry, hostControls, clips, questions } = this.#deps;
    switch (event) {
      case 'call:publish': {
        const p = payload as ClientPayload<'call:publish'>;
        return { answer: await registry.publish(caller, p.callId, p.offer, socketId) };
      }
      case 'call:end': {
        const p = payload as ClientPayload<'call:end'>;
        await registry.end(caller, p.callId, p.keepRecording);
        return {};
      }
      case 'call:pause':
      case 'call:resume':
        await hostControls.setPaused(caller, payload.callId, event === 'call:pause');
        return {};
      case 'call:remove-listener':
        await hostControls.removeListener(caller, payload as ClientPayload<'call:remove-listener'>);
        return {};
      case 'call:set-policy':
        return { call: await hostControls.setPolicy(caller, payload as ClientPayload<'call:set-policy'>) };
      case 'call:start-recording':
        return { call: await hostControls.startRecording(caller, payload as ClientPayload<'call:start-recording'>) };
      case 'listen:join': {
        const p = payload as ClientPayload<'listen:join'>;
        return registry.join(caller, socketId, p.callId, p.offer);
      }
      case 'listen:leave':
        await registry.leave(caller, payload.callId);
        return {};
      case 'clip:mark': {
        const p = payload as ClientPayload<'clip:mark'>;
        return { clip: await clips.mark(caller, await registry.liveCall(caller, p.callId), p) };
      }
      case 'question:ask':
        return { question: await questions.ask(caller, payload as ClientPayload<'question:ask'>) };
      case 'whisper:send':
        await questions.whisper(caller, payload as ClientPayload<'whisper:send'>);
        return {};
      case 'media:candidate':
        await registry.addCandidate(caller, payload as ClientPayload<'media:candidate'>);
        return {};
      default:
        return assertUnreachable(event);
    }
  }
}
