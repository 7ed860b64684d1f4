import type { Translate } from '../core/i18n.ts';
import type { ListProblemCode } from './list-problem.ts';

/** Why a list's last update failed, in the person's language; every code has its sentence. */
const SENTENCES: { readonly [code in ListProblemCode]: (t: Translate, detail: string) => string } = {
  unreachable: (t) => t('options_problemUnreachable'),
  timeout: (t) => t('options_problemTimeout'),
  'http-status': (t, detail) => t('options_problemHttpStatus', { status: detail }),
  'not-utf8': (t) => t('options_problemNotUtf8'),
  'invalid-json': (t) => t('options_problemInvalidJson'),
  'invalid-list': (t, detail) => t('options_problemInvalidList', { detail }),
  'damaged-record': (t) => t('options_problemDamagedRecord'),
  unsigned: (t) => t('options_problemUnsigned'),
  'no-public-key': (t) => t('options_problemNoPublicKey'),
  'malformed-public-key': (t) => t('options_problemMalformedPublicKey'),
  'malformed-signature': (t) => t('options_problemMalformedSignature'),
  'too-large': (t) => t('options_problemTooLarge'),
  'key-id-mismatch': (t) => t('options_problemKeyIdMismatch'),
  'bad-signature': (t) => t('options_problemBadSignature'),
  'bad-trusted-comment-signature': (t) => t('options_problemBadTrustedCommentSignature'),
  'no-ed25519': (t) => t('options_problemNoEd25519'),
};

/**
 * The sentence for a list's last error, in the person's language: the options page shows it, and
 * the background answers a refused subscription with it. A record from before problem codes
 * shows its stored text.
 */
export function listProblemText(t: Translate, list: { readonly problem?: { readonly code: ListProblemCode; readonly detail?: string | undefined } | undefined; readonly lastError?: string | undefined }): string | null {
  if (list.problem) return SENTENCES[list.problem.code](t, list.problem.detail ?? '');
  return list.lastError ?? null;
}
