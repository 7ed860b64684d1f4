// Writes docs/report.schema.json from the report's zod schema (lib/reports/report-document.ts).
// `npm run report-schema`; a unit test fails while the committed file and the schema differ.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reportJsonSchemaText } from '../../lib/reports/report-document.ts';

const target = fileURLToPath(new URL('../../docs/report.schema.json', import.meta.url));
writeFileSync(target, reportJsonSchemaText());
console.log(`wrote ${target}`);
