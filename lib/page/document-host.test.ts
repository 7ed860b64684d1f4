import { describe, expect, test } from 'vitest';
import { documentHost } from './document-host.ts';

describe('documentHost', () => {
  test('a document with a URL of its own: its host', () => {
    expect(documentHost({ hostname: 'relay.example' }, 'https://other.example')).toBe('relay.example');
  });

  test('about:blank and srcdoc frames: the host of the origin they inherited', () => {
    expect(documentHost({ hostname: '' }, 'http://hostile-relay.test')).toBe('hostile-relay.test');
    expect(documentHost({ hostname: '' }, 'https://relay.example:8443')).toBe('relay.example');
  });

  test('an opaque origin (sandboxed frame) or none: no host', () => {
    expect(documentHost({ hostname: '' }, 'null')).toBe('');
    expect(documentHost({ hostname: '' }, undefined)).toBe('');
    expect(documentHost({ hostname: '' }, 'not a url')).toBe('');
  });
});
