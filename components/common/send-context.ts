import { createContext } from 'preact';
import { useCallback, useContext } from 'preact/hooks';
import { sendRequest, type Envelope, type Request, type ResponseFor } from '../../lib/protocol/messages.ts';

/** How a page reaches the background: runtime.sendMessage in the extension, a fake in tests. */
export type Send = (message: unknown) => Promise<unknown>;

/** The popup and the options page talk to the background only through this. */
export const SendContext = createContext<Send | null>(null);

export type RequestBackground = <R extends Request>(request: R) => Promise<Envelope<ResponseFor<R['type']>>>;

/** Sends one protocol request and validates the answer (lib/protocol/messages.ts); never throws. */
export function useRequest(): RequestBackground {
  const send = useContext(SendContext);
  if (!send) throw new Error('Render inside <SendContext.Provider>.');
  return useCallback(<R extends Request>(request: R) => sendRequest(send, request), [send]);
}
