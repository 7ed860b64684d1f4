import { normalizeHost } from '../core/host.ts';

/**
 * When a subscribed list is fetched again. Every 12 hours unless the list asks otherwise with
 * `refreshMinutes` (List format v1), within bounds that protect the list's server and the
 * person's bandwidth. Each time is pushed later by a random share of the interval, so installs
 * that subscribed together (or whose browsers start together) do not fetch together.
 */

const DEFAULT_REFRESH_MINUTES = 12 * 60;
/** The most often a list on the network may be fetched. */
const MIN_REFRESH_MINUTES = 60;
export const MAX_REFRESH_MINUTES = 7 * 24 * 60;
/** A list served from this very machine costs no server and no bandwidth: it may ask for every minute. */
const MIN_LOOPBACK_REFRESH_MINUTES = 1;
/** After a failure the next try comes sooner than a full interval (an outage is usually short). */
const RETRY_AFTER_FAILURE_MINUTES = 60;
/** Up to this share of the wait is added at random. */
const JITTER_SHARE = 0.1;

const MINUTE_MS = 60_000;

/** The interval in force for a list at `url` that asked for `asked` minutes (or nothing). */
export function refreshIntervalMinutes(url: string, asked: number | undefined): number {
  const host = normalizeHost(url);
  const floor = host.ok && host.value.scope === 'loopback' ? MIN_LOOPBACK_REFRESH_MINUTES : MIN_REFRESH_MINUTES;
  return Math.min(MAX_REFRESH_MINUTES, Math.max(floor, asked ?? DEFAULT_REFRESH_MINUTES));
}

export interface NextUpdateInput {
  readonly url: string;
  /** The interval the stored copy asked for. */
  readonly refreshMinutes: number | undefined;
  /** When this attempt happened. */
  readonly at: number;
  readonly failed: boolean;
  /** A number in [0, 1): Math.random in production, fixed in tests. */
  readonly random: number;
}

export function nextUpdateAt({ url, refreshMinutes, at, failed, random }: NextUpdateInput): number {
  const interval = refreshIntervalMinutes(url, refreshMinutes);
  const wait = (failed ? Math.min(interval, RETRY_AFTER_FAILURE_MINUTES) : interval) * MINUTE_MS;
  return at + wait + Math.floor(Math.min(Math.max(random, 0), 1) * JITTER_SHARE * wait);
}
