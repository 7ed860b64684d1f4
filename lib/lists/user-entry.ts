// zod/mini: this schema is part of the message protocol (user-entries/*), which is zod/mini
// throughout, as well as what IndexedDB's records are checked against.
import { z } from 'zod/mini';
import { parseHostPattern } from '../core/host-pattern.ts';

/** The levels a person may give a host; `official` is the vendors list's alone. */
export const USER_LEVELS = ['vetted', 'blocked'] as const;

/** One of the person's own entries; the pattern is stored in its canonical spelling. */
export const userEntrySchema = z.object({
  pattern: z.pipe(
    z.string(),
    z.transform((text: string, context) => {
      const parsed = parseHostPattern(text);
      if (parsed.ok) return parsed.value.text;
      context.issues.push({ code: 'custom', message: parsed.error, input: text });
      return z.NEVER;
    }),
  ),
  level: z.enum(USER_LEVELS),
  /** ISO date-time the person added it. */
  added: z.iso.datetime({ offset: true }),
  note: z.optional(z.string().check(z.maxLength(500))),
});
export type UserEntry = z.output<typeof userEntrySchema>;
