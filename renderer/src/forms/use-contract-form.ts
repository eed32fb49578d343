import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, type DefaultValues, type FieldErrors, type FieldValues, type Path, type Resolver } from 'react-hook-form';
import type { z } from 'zod';
import type { AppError, Result } from '../../../contract';
import { labelledFieldErrors, serverFieldError } from '../api/errors';

/** Field labels as shown, used to word validation messages. */
export type FieldLabels<V> = Partial<Record<keyof V & string, string>>;

/**
 * The contract schema as a react-hook-form resolver (through `@hookform/resolvers/zod`), with
 * each field's message worded with its label, as the person reads it on the form.
 */
export function labelledResolver<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  labels: FieldLabels<z.input<S>>,
): Resolver<z.input<S>, unknown, z.output<S>> {
  // zodResolver's overloads infer from a concrete schema; for a generic `S` its types are the same.
  const resolve = zodResolver(schema) as unknown as Resolver<z.input<S>, unknown, z.output<S>>;
  return async (values, context, options) => {
    const result = await resolve(values, context, options);
    if (Object.keys(result.errors).length === 0) return result;
    const messages = labelledFieldErrors(result.errors, labels as Record<string, string>);
    const errors = Object.fromEntries(Object.entries(messages).map(([field, message]) => [field, { type: 'validate', message }]));
    return { values: {}, errors: errors as FieldErrors<z.input<S>> };
  };
}

/**
 * A react-hook-form form validated with a contract schema: per-field errors (worded with the
 * labels) before anything is sent, `busy` while the request runs, and the server's error after.
 * A field's error clears as soon as the person edits it; the form validates again on submit.
 */
export function useContractForm<S extends z.ZodType<FieldValues, FieldValues>>(schema: S, defaultValues: z.input<S>, labels: FieldLabels<z.input<S>> = {}) {
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: labelledResolver(schema, labels),
    defaultValues: defaultValues as DefaultValues<z.input<S>>,
    reValidateMode: 'onSubmit',
  });
  const [error, setError] = useState<AppError | null>(null);
  // When the server's error arrived: a RATE_LIMITED wait counts down from then.
  const [errorAt, setErrorAt] = useState(0);
  const errors = form.formState.errors as Record<string, { message?: string } | undefined>;

  /** Props for a `TextField`/`SelectField`/`TextAreaField`: the registered input and its error. */
  const field = (name: Path<z.input<S>>) => ({
    ...form.register(name, { onChange: () => form.clearErrors(name) }),
    error: errors[name]?.message,
  });

  /**
   * The form's submit handler: validates, then runs `action` with the parsed values; a failed
   * `Result` becomes `error` (or, when the server's BAD_REQUEST names one of this form's fields,
   * that field's error, e.g. a password too easy to guess), a good one goes to `then`.
   */
  const submit = <T>(action: (data: z.output<S>) => Promise<Result<T>>, then?: (value: T) => void) =>
    form.handleSubmit(
      async (data) => {
        setError(null);
        const result = await action(data);
        if (result.ok) {
          then?.(result.value);
          return;
        }
        const onField = serverFieldError(result.error, Object.keys(defaultValues as object), labels as Record<string, string>);
        if (onField) form.setError(onField.field as Path<z.input<S>>, { type: 'server', message: onField.message }, { shouldFocus: true });
        else {
          setErrorAt(Date.now());
          setError(result.error);
        }
      },
      () => setError(null),
    );

  return {
    form,
    field,
    fieldError: (name: keyof z.input<S> & string) => errors[name]?.message,
    error,
    errorAt,
    setError,
    busy: form.formState.isSubmitting,
    submit,
  };
}
