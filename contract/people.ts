import { z } from 'zod';
import { Password, TeamName, TeamSchema } from './team';

/**
 * People's lifecycle: deactivating, reactivating and deleting members, admin-issued password
 * resets and renaming the team. Admins only; every route is scoped to the caller's team.
 */

/** What happens to a deleted member's clips. */
export const DeletedClipsChoice = z.enum(['keep', 'delete']);
export type DeletedClipsChoice = z.infer<typeof DeletedClipsChoice>;

/** The name a deleted member's kept clips, comments and talk tracks are credited to. */
export const FORMER_MEMBER_NAME = 'Former member';

/**
 * Deleting a member (only a deactivated one): `confirmName` must repeat their name as shown,
 * so a slip of the mouse deletes nobody.
 */
export const DeleteMemberBody = z.object({
  confirmName: z.string().trim().min(1, 'is required').max(80),
  clips: DeletedClipsChoice,
});
export type DeleteMemberBody = z.infer<typeof DeleteMemberBody>;

export const DeleteMemberReply = z.object({ deletedClips: z.number().int().min(0), keptClips: z.number().int().min(0) });
export type DeleteMemberReply = z.infer<typeof DeleteMemberReply>;

/** How long an admin-issued reset link works. */
export const PASSWORD_RESET_HOURS = 24;

/**
 * A reset link for the admin to pass on (no e-mail is sent). The token is shown once: the
 * server keeps only its hash. The app builds the link as `<server>/#/reset/<token>`.
 */
export const PasswordResetIssuedReply = z.object({ token: z.string(), expiresAt: z.number() });
export type PasswordResetIssuedReply = z.infer<typeof PasswordResetIssuedReply>;

/** A reset token as typed or pasted (kept in the body, never in a logged URL). */
export const ResetToken = z.string().trim().min(16, 'is not a valid reset link').max(200);

export const CheckPasswordResetBody = z.object({ token: ResetToken });
/**
 * What a reset link is now: usable (with whose account it resets), already used, expired, or
 * invalid (unknown, replaced by a newer link, or its member was deactivated).
 */
export const PasswordResetState = z.discriminatedUnion('status', [
  z.object({ status: z.literal('valid'), name: z.string(), email: z.string(), teamName: z.string(), expiresAt: z.number() }),
  z.object({ status: z.enum(['used', 'expired', 'invalid']) }),
]);
export type PasswordResetState = z.infer<typeof PasswordResetState>;

export const CompletePasswordResetBody = z.object({ token: ResetToken, password: Password });
export type CompletePasswordResetBody = z.infer<typeof CompletePasswordResetBody>;
/** The account whose password changed, so the sign-in screen can offer its email. */
export const CompletePasswordResetReply = z.object({ email: z.string() });

export const RenameTeamBody = z.object({ name: TeamName });
export type RenameTeamBody = z.infer<typeof RenameTeamBody>;
export const TeamReply = z.object({ team: TeamSchema });

/** Why the server ended a person's sessions (with `session:revoked` and 401s). */
export const SignedOutReason = z.enum(['signed-out', 'deactivated', 'password-reset']);
export type SignedOutReason = z.infer<typeof SignedOutReason>;

/** The UNAUTHENTICATED message of a deactivated member's requests, sockets and sign-ins. */
export const ACCOUNT_DEACTIVATED_MESSAGE = 'Your account was deactivated by an admin of your team. Ask them if you think this is a mistake.';
/** The message of sessions ended because the password was reset. */
export const PASSWORD_RESET_SIGNED_OUT_MESSAGE = 'Your password was reset, so you were signed out. Sign in with the new password.';
