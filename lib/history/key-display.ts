import type { VendorId } from '../detection/keys.ts';

/**
 * How surfaces name a key the history recorded: its vendor by name, its ending as vendor
 * dashboards print it, and the vendor's page where it is revoked and replaced (the "rotate this
 * key" link). One table, documented in docs/key-history.md; vendor names are brand names and
 * stay as they are in every language.
 */
export const VENDOR_KEY_PAGES: Readonly<Record<VendorId, { readonly name: string; readonly keyPage: string }>> = {
  openai: { name: 'OpenAI', keyPage: 'https://platform.openai.com/api-keys' },
  anthropic: { name: 'Anthropic', keyPage: 'https://console.anthropic.com/settings/keys' },
  google: { name: 'Google AI', keyPage: 'https://aistudio.google.com/app/apikey' },
  openrouter: { name: 'OpenRouter', keyPage: 'https://openrouter.ai/settings/keys' },
  groq: { name: 'Groq', keyPage: 'https://console.groq.com/keys' },
  xai: { name: 'xAI', keyPage: 'https://console.x.ai/' },
  huggingface: { name: 'Hugging Face', keyPage: 'https://huggingface.co/settings/tokens' },
  perplexity: { name: 'Perplexity', keyPage: 'https://www.perplexity.ai/settings/api' },
  replicate: { name: 'Replicate', keyPage: 'https://replicate.com/account/api-tokens' },
  deepseek: { name: 'DeepSeek', keyPage: 'https://platform.deepseek.com/api_keys' },
};

/** "…a1b2": how surfaces write a key's ending. At most four characters of the key, always. */
export function keyEnding(last4: string): string {
  return `…${String(last4).slice(-4)}`;
}
