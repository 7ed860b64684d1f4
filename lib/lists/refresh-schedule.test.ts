import { describe, expect, test } from 'vitest';
import { parseList } from './list-schema.ts';
import { nextUpdateAt, refreshIntervalMinutes } from './refresh-schedule.ts';

const HOUR = 3_600_000;
const NETWORK = 'https://lists.example.org/relays.json';
const LOCAL = 'http://127.0.0.1:8080/relays.json';

describe('refreshIntervalMinutes', () => {
  test('12 hours unless the list asks otherwise', () => {
    expect(refreshIntervalMinutes(NETWORK, undefined)).toBe(720);
    expect(refreshIntervalMinutes(NETWORK, 90)).toBe(90);
  });

  test('a list on the network is fetched at most hourly and at least weekly', () => {
    expect(refreshIntervalMinutes(NETWORK, 1)).toBe(60);
    expect(refreshIntervalMinutes(NETWORK, 59)).toBe(60);
    expect(refreshIntervalMinutes(NETWORK, 10_080)).toBe(10_080);
    expect(refreshIntervalMinutes(NETWORK, 10_081)).toBe(10_080);
  });

  test('a list served from this machine may ask for every minute', () => {
    expect(refreshIntervalMinutes(LOCAL, 1)).toBe(1);
    expect(refreshIntervalMinutes('http://localhost:8080/l.json', 1)).toBe(1);
    expect(refreshIntervalMinutes('http://[::1]:8080/l.json', 1)).toBe(1);
    expect(refreshIntervalMinutes('http://192.168.1.5/l.json', 1)).toBe(60);
    expect(refreshIntervalMinutes(LOCAL, undefined)).toBe(720);
  });
});

describe('nextUpdateAt', () => {
  test('the interval plus up to a tenth of it at random', () => {
    expect(nextUpdateAt({ url: NETWORK, refreshMinutes: undefined, at: 0, failed: false, random: 0 })).toBe(12 * HOUR);
    expect(nextUpdateAt({ url: NETWORK, refreshMinutes: undefined, at: 0, failed: false, random: 0.5 })).toBe(12.6 * HOUR);
    expect(nextUpdateAt({ url: NETWORK, refreshMinutes: undefined, at: 0, failed: false, random: 0.999_999 })).toBeLessThan(13.2 * HOUR);
  });

  test('after a failure: within the hour, or the interval when that is shorter', () => {
    expect(nextUpdateAt({ url: NETWORK, refreshMinutes: undefined, at: 0, failed: true, random: 0 })).toBe(HOUR);
    expect(nextUpdateAt({ url: LOCAL, refreshMinutes: 1, at: 0, failed: true, random: 0 })).toBe(60_000);
  });

  test('a random value out of range is clamped, never a time in the past', () => {
    expect(nextUpdateAt({ url: NETWORK, refreshMinutes: 60, at: 1_000, failed: false, random: -5 })).toBe(1_000 + HOUR);
    expect(nextUpdateAt({ url: NETWORK, refreshMinutes: 60, at: 1_000, failed: false, random: 7 })).toBe(1_000 + HOUR + 360_000);
  });
});

describe('refreshMinutes in List format v1', () => {
  const list = (refreshMinutes: unknown) => parseList({ name: 'L', version: '1', updated: '2026-12-01', refreshMinutes, entries: [] });

  test('whole minutes from 1 to 7 days are accepted', () => {
    expect(list(1)).toMatchObject({ ok: true, value: { refreshMinutes: 1 } });
    expect(list(10_080)).toMatchObject({ ok: true, value: { refreshMinutes: 10_080 } });
  });

  test('anything else is refused with a sentence that says why', () => {
    expect(list(0)).toMatchObject({ ok: false, error: { issues: ['refreshMinutes: refreshMinutes must be at least 1'] } });
    expect(list(10_081)).toMatchObject({ ok: false, error: { issues: ['refreshMinutes: refreshMinutes must be at most 10080 (7 days)'] } });
    expect(list(1.5)).toMatchObject({ ok: false, error: { issues: ['refreshMinutes: refreshMinutes must be a whole number of minutes'] } });
    expect(list('720')).toMatchObject({ ok: false, error: { issues: ['refreshMinutes: refreshMinutes must be a number of minutes'] } });
  });
});
