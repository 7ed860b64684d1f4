import { describe, expect, test } from 'vitest';
import { parseReportEndpoint } from './report-endpoint.ts';

describe('parseReportEndpoint', () => {
  test.each([
    ['https://collector.example/reports', true],
    ['http://127.0.0.1:8080/reports', true],
    ['http://localhost/r', true],
    ['http://collector.example/reports', false],
    ['https://user:pw@collector.example/', false],
    ['ftp://collector.example/', false],
    ['not a url', false],
  ])('%s → %s', (text, accepted) => {
    expect(parseReportEndpoint(text).ok).toBe(accepted);
  });
});
