import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { managedSchemaText, withPolicyReference } from './policy-docs.ts';
import { parseManagedPolicy, POLICY_KEY_NAMES } from './policy.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('made from the policy schema (run `npm run policy-docs` after changing lib/lists/policy.ts)', () => {
  test('public/managed_schema.json is what the schema makes', () => {
    expect(read('public/managed_schema.json')).toBe(managedSchemaText());
  });

  test('the key reference in docs/admin.md is what the schema makes, and names every key', () => {
    const guide = read('docs/admin.md');
    expect(guide).toBe(withPolicyReference(guide));
    for (const key of POLICY_KEY_NAMES) expect(guide).toContain(`### \`${key}\``);
  });

  test('the manifest schema uses only what Chrome’s schema dialect knows', () => {
    const allowed = new Set(['type', 'title', 'description', 'properties', 'items']);
    const visit = (schema: Record<string, unknown>): void => {
      for (const [name, value] of Object.entries(schema)) {
        expect(allowed.has(name), `managed_schema.json uses ${name}`).toBe(true);
        if (name === 'properties') Object.values(value as Record<string, Record<string, unknown>>).forEach(visit);
        if (name === 'items') visit(value as Record<string, unknown>);
      }
    };
    visit(JSON.parse(managedSchemaText()) as Record<string, unknown>);
  });
});

describe('docs/admin.md examples are copy-ready', () => {
  const guide = read('docs/admin.md');
  const jsonBlocks = [...guide.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]!) as Record<string, unknown>);

  /** The policy inside each platform's wrapping. */
  function policyIn(block: Record<string, unknown>): unknown {
    const chrome = (block['3rdparty'] as { extensions?: Record<string, unknown> } | undefined)?.extensions;
    if (chrome) return chrome['<extension-id>'];
    const firefox = (block.policies as { '3rdparty'?: { Extensions?: Record<string, unknown> } } | undefined)?.['3rdparty']?.Extensions;
    if (firefox) return firefox['relayguard@relayguard.dev'];
    const wrapped = Object.values(block).every((value) => typeof value === 'object' && value !== null && 'Value' in value);
    if (wrapped) return Object.fromEntries(Object.entries(block).map(([key, value]) => [key, (value as { Value: unknown }).Value]));
    return block;
  }

  test('the guide has the full example, the Linux file, Firefox’s policies.json and the Admin console’s JSON', () => {
    expect(jsonBlocks).toHaveLength(4);
  });

  for (const [index, block] of jsonBlocks.entries()) {
    test(`JSON example ${index + 1} is a policy with nothing ignored`, () => {
      const policy = parseManagedPolicy(policyIn(block));
      expect(policy.problems).toEqual([]);
      expect(policy.keys.length).toBeGreaterThanOrEqual(5);
    });
  }

  test('the .reg example’s values are valid too (read as JSON strings and dwords)', () => {
    const reg = /```reg\n([\s\S]*?)```/.exec(guide)![1]!;
    const values = Object.fromEntries(
      [...reg.matchAll(/^"(\w+)"=(?:dword:(\d+)|"((?:[^"\\]|\\.)*)")$/gm)].map(([, name, dword, text]) => [
        name!,
        dword !== undefined ? Number.parseInt(dword, 16) === 1 : text!.replace(/\\(.)/g, '$1'),
      ]),
    );
    expect(Object.keys(values)).toHaveLength(9);
    expect(parseManagedPolicy(values).problems).toEqual([]);
  });
});
