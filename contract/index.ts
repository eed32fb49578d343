/**
 * Bullpen's one contract: socket events, REST payloads and IPC calls, declared once as zod
 * schemas with inferred types. Pure TypeScript: no electron, node or DOM imports.
 */
export * from './result';
export * from './team';
export * from './text';
export * from './calls';
export * from './media';
export * from './host-controls';
export * from './clips';
export * from './talk-tracks';
export * from './questions';
export * from './reviews';
export * from './notifications';
export * from './metrics';
export * from './onboarding';
export * from './people';
export * from './audit';
export * from './http';
export * from './socket';
export * from './ipc';
export * from './hotkey';
export * from './csp';
export * from './log';
