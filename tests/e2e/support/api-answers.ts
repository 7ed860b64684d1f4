/**
 * Answers the fixture server gives in place of an AI API, in the shapes the real SDKs expect
 * (the page's SDK must finish its call, or a test could not tell a refused call from a lost one).
 */

/** An OpenAI-compatible chat completion (`POST …/chat/completions`) whose one reply is `content`. */
export function chatCompletion({ id, model = 'gpt-4o-mini', content }: { id: string; model?: string; content: string }) {
  return {
    id,
    object: 'chat.completion',
    created: 1_767_225_600,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 },
  };
}
