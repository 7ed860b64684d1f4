/** The envelope every answer travels in. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: string };

/** Anything with zod's safeParse: classic and zod/mini schemas both fit. */
export interface AnswerSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/**
 * Sends a request through `send` (runtime.sendMessage) and validates the answer against the
 * schema for that request, so a caller only ever sees a well-formed answer or an error text.
 */
export async function sendValidated<T>(send: (message: unknown) => Promise<unknown>, request: { type: string }, schema: AnswerSchema<Envelope<T>>): Promise<Envelope<T>> {
  let answer: unknown;
  try {
    answer = await send(request);
  } catch (cause) {
    return { ok: false, error: cause instanceof Error ? cause.message : String(cause) };
  }
  const parsed = schema.safeParse(answer);
  return parsed.success ? parsed.data : { ok: false, error: `Unexpected answer to ${request.type}.` };
}
