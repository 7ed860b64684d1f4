import type { ResponseFor } from '../../lib/protocol/messages.ts';

/** The person's entries as the options page shows them; OptionsApp loads them, the sections read them. */
export type EntriesView = ResponseFor<'user-entries/list'>;
export type EntriesState = { status: 'loading' } | { status: 'error'; error: string } | { status: 'ready'; view: EntriesView };
