import { z } from 'zod';

const DAYS_MESSAGE = 'a whole number of days from 1 to 3650';

/**
 * A retention form's one field, as typed: digits, then within the contract's own range of days
 * (`range`), with a message worded for people rather than zod's.
 */
export function daysForm(range: z.ZodType<number>) {
  return z.object({
    retentionDays: z
      .string()
      .trim()
      .regex(/^\d{1,4}$/, DAYS_MESSAGE)
      .transform(Number)
      .refine((n) => range.safeParse(n).success, DAYS_MESSAGE),
  });
}
