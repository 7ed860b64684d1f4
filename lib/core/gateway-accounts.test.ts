import { describe, expect, test } from 'vitest';
import { accountOfCall, accountPathOf, accountPathPrefix, namesAccountsInPath } from './gateway-accounts.ts';
import { parseListPattern } from './host-pattern.ts';

const ACCOUNT = '0123456789abcdef0123456789abcdef';

describe('accountOfCall: the account a call goes through, from the canonical path', () => {
  test.each([
    ['gateway.ai.cloudflare.com', `/v1/${ACCOUNT}/my-gw/openai/chat/completions`, { id: `${ACCOUNT}/my-gw`, pathPrefix: `/v1/${ACCOUNT}/my-gw/` }],
    ['gateway.ai.cloudflare.com', `/v1/${ACCOUNT}/my-gw/anthropic/v1/messages`, { id: `${ACCOUNT}/my-gw`, pathPrefix: `/v1/${ACCOUNT}/my-gw/` }],
    ['api.cloudflare.com', `/client/v4/accounts/${ACCOUNT}/ai/v1/chat/completions`, { id: ACCOUNT, pathPrefix: `/client/v4/accounts/${ACCOUNT}/` }],
  ])('%s%s', (host, path, expected) => {
    expect(accountOfCall(host, path)).toEqual(expected);
    expect(accountPathOf(host, expected.id)).toBe(expected.pathPrefix);
  });

  test.each([
    ['openrouter.ai', '/api/v1/chat/completions'],
    ['gateway.ai.cloudflare.com', '/v1'],
    ['gateway.ai.cloudflare.com', `/v1/${ACCOUNT}`],
    ['gateway.ai.cloudflare.com', `/v2/${ACCOUNT}/gw/openai/chat/completions`],
    ['gateway.ai.cloudflare.com', `/v1/${'a'.repeat(65)}/gw/openai`],
    ['gateway.ai.cloudflare.com', '/v1/acc.ount/gw/openai'],
  ])('no account: %s%s', (host, path) => {
    expect(accountOfCall(host, path)).toBeNull();
  });

  test('only the listed gateways name accounts in their path', () => {
    expect(namesAccountsInPath('gateway.ai.cloudflare.com')).toBe(true);
    expect(namesAccountsInPath('ai-gateway.vercel.sh')).toBe(false);
    expect(accountPathOf('openrouter.ai', 'x')).toBeUndefined();
  });
});

describe('account patterns in lists', () => {
  test.each([
    [`gateway.ai.cloudflare.com/v1/${ACCOUNT}/`, `gateway.ai.cloudflare.com/v1/${ACCOUNT}/`],
    [`Gateway.AI.Cloudflare.com./V1/${ACCOUNT.toUpperCase()}`, `gateway.ai.cloudflare.com/v1/${ACCOUNT}/`],
    [`gateway.ai.cloudflare.com/v1/${ACCOUNT}/my-gw/`, `gateway.ai.cloudflare.com/v1/${ACCOUNT}/my-gw/`],
    [`api.cloudflare.com/client/v4/accounts/${ACCOUNT}/`, `api.cloudflare.com/client/v4/accounts/${ACCOUNT}/`],
  ])('%s → %s', (input, text) => {
    const parsed = parseListPattern(input);
    expect(parsed.ok && parsed.value).toMatchObject({ text, exactHostOnly: true, host: text.slice(0, text.indexOf('/')) });
  });

  test('an account pattern outranks its host patterns', () => {
    const account = parseListPattern(`gateway.ai.cloudflare.com/v1/${ACCOUNT}/`);
    const host = parseListPattern('.gateway.ai.cloudflare.com');
    expect(account.ok && host.ok && account.value.specificity > host.value.specificity).toBe(true);
  });

  test.each([
    [`openrouter.ai/api/v1/`, /only the gateways that name accounts in their path \(gateway\.ai\.cloudflare\.com, api\.cloudflare\.com\)/],
    ['gateway.ai.cloudflare.com/v1/', /must name an account, as in gateway\.ai\.cloudflare\.com\/v1\/<account>\//],
    [`gateway.ai.cloudflare.com/v1/${ACCOUNT}/gw/openai/`, /must name an account/],
    [`gateway.ai.cloudflare.com/v2/${ACCOUNT}/`, /must name an account/],
    [`https://gateway.ai.cloudflare.com/v1/${ACCOUNT}/`, /without scheme/],
    [`gateway.ai.cloudflare.com/v1/${ACCOUNT}/?x=1`, /without scheme, path or spaces/],
  ])('refused with a reason: %s', (input, reason) => {
    const parsed = parseListPattern(input);
    expect(parsed.ok ? 'accepted' : parsed.error).toMatch(reason);
  });

  test('host patterns read as before', () => {
    expect(parseListPattern('Example.COM.')).toMatchObject({ ok: true, value: { text: 'example.com' } });
  });

  test('accountPathPrefix says which hosts take a path', () => {
    expect(accountPathPrefix('gateway.ai.cloudflare.com', `/v1/${ACCOUNT}`)).toEqual({ ok: true, pathPrefix: `/v1/${ACCOUNT}/` });
  });
});
