import { describe, expect, test } from 'vitest';
import { canonicalPath } from './url-path.ts';

describe('canonicalPath', () => {
  test.each([
    ['/v1/chat/completions', '/v1/chat/completions'],
    ['/v1//chat/completions', '/v1/chat/completions'],
    ['//v1///chat//completions', '/v1/chat/completions'],
    ['/V1/Chat/Completions', '/v1/chat/completions'],
    ['/v1/chat/completions/', '/v1/chat/completions'],
    ['/', '/'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(canonicalPath(input)).toBe(expected);
  });

  test('a long run of slashes is merged in one pass', () => {
    expect(canonicalPath('/' + '/'.repeat(10_000) + 'v1/models')).toBe('/v1/models');
  });
});
