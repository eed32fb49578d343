import { describe, expect, it } from 'vitest';
import { ErrorCode, SESSION_EXPIRED_MESSAGE, waitInWords, type AppError } from '../../../../contract';
import {
  clientError,
  describeError,
  fieldMessage,
  labelledFieldErrors,
  mediaError,
  serverFieldError,
  signedOutReason,
} from '../../../../renderer/src/api/errors';

describe('describeError', () => {
  it('has a sentence for every error code', () => {
    for (const code of ErrorCode.options) {
      const text = describeError({ code, message: '' });
      expect(text, code).toMatch(/^[A-Z].*[.!?]$/);
    }
  });

  it('prefers the server’s words only where they are written for people', () => {
    expect(describeError({ code: 'FORBIDDEN', message: 'only managers can do that' })).toBe('Only managers can do that.');
    expect(describeError({ code: 'NOT_ALLOWED', message: 'The host allows managers only.' })).toBe('The host allows managers only.');
    expect(describeError({ code: 'INTERNAL', message: 'TypeError: x is undefined' })).toBe('Something went wrong on the server. Try again in a moment.');
    expect(describeError({ code: 'FORBIDDEN', message: '   ' })).toBe('You do not have permission to do that. Ask a team admin.');
  });

  it('words a server validation failure with the field’s name', () => {
    expect(describeError({ code: 'BAD_REQUEST', message: 'Invalid request: email: must be an email address' })).toBe('Email must be an email address.');
    expect(describeError({ code: 'BAD_REQUEST', message: 'Invalid request: body.retentionDays: too big' })).toBe('Retention days too big.');
    expect(describeError({ code: 'BAD_REQUEST', message: 'Invalid request: nothing to change' })).toBe('Nothing to change.');
    expect(describeError({ code: 'BAD_REQUEST', message: 'garbled' })).toBe('Some details are not valid. Check the form and try again.');
  });

  it('shows messages this app wrote itself as they are, and only those', () => {
    const mine = clientError('UNAVAILABLE', 'Cannot reach the Bullpen server at http://x. Check your connection and try again.');
    expect(describeError(mine)).toBe(mine.message);
    const lookalike: AppError = { ...mine };
    expect(describeError(lookalike)).toBe('Bullpen cannot reach the server right now. Check your connection and try again.');
  });
});

describe('rate limits', () => {
  it('says what was refused and how long to wait, from retryAfterSec', () => {
    expect(describeError({ code: 'RATE_LIMITED', message: 'You are marking clips faster than Bullpen allows (20 a minute).', retryAfterSec: 42 })).toBe(
      'You are marking clips faster than Bullpen allows (20 a minute). Try again in 42 seconds.',
    );
    expect(describeError({ code: 'RATE_LIMITED', message: 'Too many requests at once.', retryAfterSec: 1 })).toBe('Too many requests at once. Try again in 1 second.');
    expect(describeError({ code: 'RATE_LIMITED', message: '', retryAfterSec: 600 })).toBe('Too many attempts in a short time. Try again in 10 minutes.');
    // Without a wait from the server, a sensible default.
    expect(describeError({ code: 'RATE_LIMITED', message: 'slow down' })).toBe('Slow down. Wait a minute, then try again.');
  });

  it('rounds waits up to whole units a person can act on', () => {
    expect([0, 1, 2, 59, 89, 90, 3599, 5399, 5400, 86_399].map(waitInWords)).toEqual([
      '1 second',
      '1 second',
      '2 seconds',
      '59 seconds',
      '89 seconds',
      '2 minutes',
      '60 minutes',
      '90 minutes',
      '2 hours',
      '24 hours',
    ]);
  });
});

describe('field messages', () => {
  it('words a message with the field’s label, or a name made from the key', () => {
    expect(fieldMessage('email', 'must be an email address', { email: 'Work email' })).toBe('Work email must be an email address.');
    expect(fieldMessage('teamName', 'is required')).toBe('Team name is required.');
    expect(fieldMessage('note', 'is too long.')).toBe('Note is too long.');
  });

  it('takes one message per top-level field from a nested error tree (list fields included)', () => {
    const errors = {
      title: { type: 'too_big', message: 'must be at most 120 characters', ref: { name: 'title' } },
      tags: [undefined, { type: 'invalid_format', message: 'must be letters, digits or dashes' }, { message: 'second' }],
      visibility: { type: 'invalid', ref: {} },
    };
    expect(labelledFieldErrors(errors, { title: 'Clip title' })).toEqual({
      title: 'Clip title must be at most 120 characters.',
      tags: 'Tags must be letters, digits or dashes.',
    });
  });
});

describe('server errors on a form', () => {
  it('puts a server BAD_REQUEST about one of the form’s fields on that field, worded with its label', () => {
    const weak: AppError = {
      code: 'BAD_REQUEST',
      message: 'Invalid request: password: is too easy to guess. This is a commonly used password. Add more words that are less common.',
    };
    expect(serverFieldError(weak, ['name', 'email', 'password'], { password: 'Password' })).toEqual({
      field: 'password',
      message: 'Password is too easy to guess. This is a commonly used password. Add more words that are less common.',
    });
    // Not a field of this form, not about a field, not a BAD_REQUEST, or written by the app itself.
    expect(serverFieldError(weak, ['name', 'email'])).toBeNull();
    expect(serverFieldError({ code: 'BAD_REQUEST', message: 'Invalid request: malformed payload' }, ['password'])).toBeNull();
    expect(serverFieldError({ code: 'BAD_REQUEST', message: 'Invalid request: body.password: x' }, ['password'])).toBeNull();
    expect(serverFieldError({ ...weak, code: 'EMAIL_TAKEN' }, ['password'])).toBeNull();
    expect(serverFieldError(clientError('BAD_REQUEST', weak.message), ['password'])).toBeNull();
  });
});

describe('signedOutReason', () => {
  it('says a session expired when the server said so, else that it ended', () => {
    expect(signedOutReason({ message: SESSION_EXPIRED_MESSAGE })).toBe('Your session expired. Sign in again to continue.');
    expect(signedOutReason({ message: 'Your session has ended. Sign in again.' })).toBe('Your session has ended. Sign in again to continue.');
    expect(signedOutReason({ message: 'Sign in to connect.' })).toBe('Your session has ended. Sign in again to continue.');
  });
});

describe('mediaError', () => {
  it('tells a person what to do for each kind of media failure', () => {
    expect(mediaError(new DOMException('x', 'NotAllowedError')).message).toMatch(/^Bullpen is not allowed to use your microphone\./);
    expect(mediaError(new DOMException('', 'NotFoundError')).message).toBe('No microphone was found. Connect one, or pick another source.');
    expect(mediaError(new DOMException('', 'NotFoundError'), 'the call-audio device').message).toBe('No call-audio device was found. Connect one, or pick another source.');
    expect(mediaError(new DOMException('', 'NotReadableError')).message).toMatch(/^Your microphone could not be started\. Another app/);
    expect(mediaError(new DOMException('', 'OverconstrainedError')).message).toMatch(/no longer connected/);
    expect(mediaError('weird').message).toBe('Audio could not be started.');
    const error = mediaError(new Error('Loopback capture failed'));
    expect(error).toMatchObject({ code: 'MEDIA_FAILED', message: 'Loopback capture failed' });
    // The renderer wrote it: shown as is.
    expect(describeError(error)).toBe('Loopback capture failed');
  });
});
