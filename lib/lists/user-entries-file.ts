import { z } from 'zod';
import { formatIssues } from './list-schema.ts';
import { userEntrySchema, type UserEntry } from './user-entry.ts';
import { err, ok, type Result } from '../core/result.ts';

/**
 * The file a person exports their own entries to and imports them from (options page). It says
 * what it is, so importing a list file or anything else by mistake fails with a clear message.
 */
export const USER_ENTRIES_FORMAT = 'relayguard-user-entries';

const userEntriesFileSchema = z.object({
  format: z.literal(USER_ENTRIES_FORMAT, { error: `format must be "${USER_ENTRIES_FORMAT}": is this a RelayGuard export?` }),
  version: z.literal(1, { error: 'version must be 1' }),
  exported: z.iso.datetime({ offset: true }).optional(),
  entries: z.array(userEntrySchema).max(100_000),
});

export function exportUserEntries(entries: readonly UserEntry[], now: Date = new Date()): string {
  const file: z.input<typeof userEntriesFileSchema> = { format: USER_ENTRIES_FORMAT, version: 1, exported: now.toISOString(), entries: [...entries] };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export interface ImportError {
  readonly message: string;
  readonly issues: readonly string[];
}

/** Parses an exported file; nothing is partially accepted, and every problem names its place. */
export function parseUserEntriesFile(text: string): Result<UserEntry[], ImportError> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return err({ message: 'The file is not valid JSON.', issues: [cause instanceof Error ? cause.message : String(cause)] });
  }
  const parsed = userEntriesFileSchema.safeParse(value);
  if (!parsed.success) {
    const issues = formatIssues(parsed.error);
    return err({ message: `The file was not imported: ${issues[0]}`, issues });
  }
  return ok(parsed.data.entries);
}
