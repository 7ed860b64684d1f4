import type { VendorId } from '../detection/keys.ts';
import type { GatewayFamily } from '../detection/scoring.ts';

/** Vendor names as the vendors write them; the same in every language. */
export const VENDOR_NAMES: Readonly<Record<VendorId, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  openrouter: 'OpenRouter',
  groq: 'Groq',
  xai: 'xAI',
  huggingface: 'Hugging Face',
  perplexity: 'Perplexity',
  replicate: 'Replicate',
  deepseek: 'DeepSeek',
};

/** Gateway software as its projects name it (most spell themselves in lower case). */
const FAMILY_NAMES: Partial<Readonly<Record<GatewayFamily, string>>> = {
  veloera: 'Veloera',
  voapi: 'VoAPI',
  litellm: 'LiteLLM',
};

export function familyName(family: GatewayFamily): string {
  return FAMILY_NAMES[family] ?? family;
}
