/**
 * The one same-origin status probe (docs/relay-signals.md §1): when a page already scores as suspect,
 * the background has the page guard ask the page's own origin for a gateway's public status
 * answer. What an answer's shape says, as a signal; the body's values are never kept.
 */
import { z } from 'zod/mini';
import { lazy } from '../core/lazy.ts';
import { FAMILY_TRAITS, STATUS_ROUTES } from './gateway-families.ts';
import type { GatewayFamily, Signal } from './scoring.ts';

/**
 * Where the page guard looks, in this order, when a page is already suspect: each family's
 * login-free status route from the family table (lib/detection/gateway-families.ts), the one-api
 * family first (by far the most deployed), then sub2api's public settings, then
 * claude-relay-service's OEM settings. At most this many same-origin GETs per document.
 */
const STATUS_PROBE_PATHS: readonly string[] = STATUS_ROUTES;

/**
 * The probe's paths for a page whose evidence points to `family`: that family's status route
 * first (one GET instead of several on the way to it), then the others in their usual order.
 */
export function statusProbePaths(family?: GatewayFamily): readonly string[] {
  const first = family && FAMILY_TRAITS.find((row) => row.family === family)?.statusRoute;
  return first ? [first, ...STATUS_PROBE_PATHS.filter((path) => path !== first)] : STATUS_PROBE_PATHS;
}

/** one-api / new-api / one-hub / done-hub / Veloera: `{success, message, data:{system_name, quota_per_unit, …}}`. */
const oneApiStatusSchema = lazy(() =>
  z.object({
    success: z.literal(true),
    data: z.object({
      system_name: z.string(),
      quota_per_unit: z.union([z.number(), z.string()]),
    }),
  }),
);

/** sub2api: `{code: 0, message: "success", data:{site_name, api_base_url, …}}`. */
const sub2apiSettingsSchema = lazy(() =>
  z.object({
    code: z.literal(0),
    message: z.literal('success'),
    data: z.object({
      site_name: z.string(),
      api_base_url: z.string(),
    }),
  }),
);

/** claude-relay-service: `{success: true, data:{siteName, siteIcon, siteIconData, showAdminButton, …}}`. */
const claudeRelayOemSchema = lazy(() =>
  z.object({
    success: z.literal(true),
    data: z.object({
      siteName: z.string(),
      siteIcon: z.string(),
      siteIconData: z.string(),
    }),
  }),
);

/**
 * `gateway-status-endpoint` when a probe's JSON body has a gateway's shape. Several families
 * answer /api/status identically, so that shape names no family. The body's values (the site's
 * chosen name) are not echoed.
 */
export function statusProbeSignals(json: unknown): Signal[] {
  if (oneApiStatusSchema().safeParse(json).success) {
    return [{ id: 'gateway-status-endpoint', detail: '/api/status' }];
  }
  if (sub2apiSettingsSchema().safeParse(json).success) {
    return [{ id: 'gateway-status-endpoint', detail: '/api/v1/settings/public', family: 'sub2api' }];
  }
  if (claudeRelayOemSchema().safeParse(json).success) {
    return [{ id: 'gateway-status-endpoint', detail: '/admin/oem-settings', family: 'claude-relay-service' }];
  }
  return [];
}
