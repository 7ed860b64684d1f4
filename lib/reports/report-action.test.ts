import { describe, expect, test } from 'vitest';
import type { TabVerdictView } from '../protocol/page-protocol.ts';
import { reportAction, reportedHost } from './report-action.ts';

function view(overrides: Partial<TabVerdictView>): TabVerdictView {
  return {
    tabId: 1,
    url: 'https://relay.example/console',
    hostDisplay: 'relay.example',
    level: 'unvetted',
    reasons: [{ kind: 'signal', level: 'unvetted', source: 'gateway-meta-description', detail: '' }],
    endpoints: [],
    control: { userEntry: null, managed: false },
    ...overrides,
  };
}

const relayEndpoint = { host: 'API.Relay-Endpoint.example', protocol: 'openai', count: 1, credentialKinds: [], level: 'unvetted' as const };

describe('reportAction', () => {
  test('a relay report blocks the page host, a false positive trusts it', () => {
    expect(reportAction(view({}), 'relay')).toEqual({ act: true, pattern: 'relay.example', level: 'blocked' });
    expect(reportAction(view({}), 'false-positive')).toEqual({ act: true, pattern: 'relay.example', level: 'vetted' });
  });

  test('a page that only calls a relay: the endpoint is the host acted on, in canonical form', () => {
    const chat = view({ url: 'https://chat.example/', reasons: [{ kind: 'endpoint', level: 'unvetted', source: 'API.Relay-Endpoint.example', detail: 'openai' }], endpoints: [relayEndpoint] });
    expect(reportedHost(chat)).toEqual({ host: 'api.relay-endpoint.example', isPage: false, endpointLevel: 'unvetted' });
    expect(reportAction(chat, 'relay')).toEqual({ act: true, pattern: 'api.relay-endpoint.example', level: 'blocked' });
    const blockedChat = view({ ...chat, level: 'blocked', reasons: [{ kind: 'endpoint', level: 'blocked', source: 'api.relay-endpoint.example', detail: 'openai' }] });
    expect(reportAction(blockedChat, 'relay')).toEqual({ act: false, why: 'already' });
  });

  test('a page that is itself a relay stays the host, whatever it calls', () => {
    expect(reportedHost(view({ endpoints: [relayEndpoint] }))?.host).toBe('relay.example');
  });

  test('nothing changes where policy decides, where the lists already agree, or for trust in a look-alike', () => {
    expect(reportAction(view({ control: { userEntry: null, managed: true } }), 'relay')).toEqual({ act: false, why: 'managed' });
    const listed = view({ reasons: [{ kind: 'list', level: 'blocked', source: 'RelayGuard blocklist v1', detail: 'relay.example' }] });
    expect(reportAction(listed, 'relay')).toEqual({ act: false, why: 'already' });
    expect(reportAction(listed, 'false-positive')).toEqual({ act: true, pattern: 'relay.example', level: 'vetted' });
    expect(reportAction(view({ control: { userEntry: { pattern: 'relay.example', level: 'vetted' }, managed: false } }), 'false-positive')).toEqual({ act: false, why: 'already' });
    const lookalike = view({ reasons: [{ kind: 'lookalike', level: 'unvetted', source: 'relay.example', detail: 'api.openai.com' }] });
    expect(reportAction(lookalike, 'false-positive')).toEqual({ act: false, why: 'lookalike' });
    expect(reportAction(lookalike, 'relay')).toEqual({ act: true, pattern: 'relay.example', level: 'blocked' });
  });

  test('a relay report never blocks an AI vendor\'s own host', () => {
    const vendor = view({ url: 'https://platform.openai.com/', level: 'official', reasons: [{ kind: 'list', level: 'official', source: 'RelayGuard AI vendors v1', detail: 'openai.com' }] });
    expect(reportAction(vendor, 'relay')).toEqual({ act: false, why: 'official' });
  });

  test('a page without a host names nothing', () => {
    expect(reportAction(view({ url: 'about:blank' }), 'relay')).toEqual({ act: false, why: 'noHost' });
  });
});
