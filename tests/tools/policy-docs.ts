// Writes public/managed_schema.json and the key reference in docs/admin.md from the policy's zod
// schema (lib/lists/policy.ts). `npm run policy-docs`; a unit test fails while either differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { managedSchemaText, withPolicyReference } from '../../lib/lists/policy-docs.ts';

const schemaFile = fileURLToPath(new URL('../../public/managed_schema.json', import.meta.url));
const adminGuide = fileURLToPath(new URL('../../docs/admin.md', import.meta.url));
writeFileSync(schemaFile, managedSchemaText());
console.log(`wrote ${schemaFile}`);
writeFileSync(adminGuide, withPolicyReference(readFileSync(adminGuide, 'utf8')));
console.log(`wrote the key reference in ${adminGuide}`);
