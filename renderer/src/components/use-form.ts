import { useState } from 'react';
import type { z } from 'zod';
import type { AppError, Result } from '../../../contract';
import { fieldErrors } from '../api/errors';

/**
 * Form state validated with a contract schema: per-field errors before anything is sent,
 * a busy flag while the request runs, and the server's error after.
 */
export function useForm<S extends z.ZodType<Record<string, unknown>>>(
  schema: S,
  initial: z.input<S>,
  /** Field labels as shown, used to word validation messages. */
  labels: Partial<Record<keyof z.input<S> & string, string>> = {},
) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  const field = (name: keyof z.input<S> & string) => ({
    name,
    value: String((values as Record<string, unknown>)[name] ?? ''),
    error: errors[name],
    onChange: (e: { currentTarget: { value: string } }) => {
      const value = e.currentTarget.value;
      setValues((v) => ({ ...(v as Record<string, unknown>), [name]: value }) as z.input<S>);
      if (errors[name]) setErrors(({ [name]: _, ...rest }) => rest);
    },
  });

  /** Validates, then runs `action` with the parsed values. */
  const submit = async <T,>(action: (data: z.output<S>) => Promise<Result<T>>): Promise<Result<T> | null> => {
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error, labels as Record<string, string>));
      setError(null);
      return null;
    }
    setErrors({});
    setError(null);
    setBusy(true);
    try {
      const result = await action(parsed.data);
      if (!result.ok) setError(result.error);
      return result;
    } finally {
      setBusy(false);
    }
  };

  return { values, setValues, field, errors, error, setError, busy, submit };
}
