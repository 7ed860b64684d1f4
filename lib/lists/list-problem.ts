import type { MinisignErrorCode } from './minisign.ts';

/**
 * Why a subscribed list could not be updated: a stable code the options page translates, an
 * English message for logs and tests, and the one fact the sentence needs (a status, a size, the
 * list's first schema problem). Stored with the subscription as its last error.
 */

const MINISIGN_CODES = [
  'unsigned',
  'no-public-key',
  'malformed-public-key',
  'malformed-signature',
  'too-large',
  'key-id-mismatch',
  'bad-signature',
  'bad-trusted-comment-signature',
  'no-ed25519',
] as const satisfies readonly MinisignErrorCode[];

export const LIST_PROBLEM_CODES = [
  'unreachable',
  'timeout',
  'http-status',
  'not-utf8',
  'invalid-json',
  'invalid-list',
  'damaged-record',
  ...MINISIGN_CODES,
] as const;
export type ListProblemCode = (typeof LIST_PROBLEM_CODES)[number];

// No zod here: the options page imports the codes through the message protocol (zod/mini).
export interface ListProblem {
  readonly code: ListProblemCode;
  readonly message: string;
  readonly detail?: string;
}
