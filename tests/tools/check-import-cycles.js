// Import cycles among the project's own modules, `import type` included (eslint-plugin-import-x's
// no-cycle skips type-only imports, which keep two modules welded together all the same).
// `npm run lint:cycles` (not yet in `npm run lint`: two type-only cycles remain, see its output);
// prints each cycle and exits 1 when there is one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FOLDERS = ['lib', 'components', 'entrypoints', 'tests'];
const SOURCE = /\.(?:ts|tsx)$/;
/** `from './x.ts'`, `import './x.ts'`, `import('./x.ts')`: relative specifiers only. */
const SPECIFIER = /(?:\bfrom|\bimport)\s*(?:\(\s*)?['"](\.{1,2}\/[^'"\n]*)['"]/g;

function sourceFiles(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return SOURCE.test(name) ? [path] : [];
  });
}

const files = FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder)));
const known = new Set(files);
const edges = new Map(
  files.map((file) => {
    const targets = [...readFileSync(file, 'utf8').matchAll(SPECIFIER)]
      .map((match) => normalize(join(dirname(file), match[1])))
      .flatMap((target) => [target, `${target}.ts`, `${target}.tsx`, join(target, 'index.ts')].filter((candidate) => known.has(candidate)).slice(0, 1));
    return [file, targets];
  }),
);

// Tarjan's strongly connected components, iteratively (no recursion limit on deep chains).
const index = new Map();
const low = new Map();
const onStack = new Set();
const stack = [];
const cycles = [];
let next = 0;
for (const start of files) {
  if (index.has(start)) continue;
  const work = [[start, 0]];
  index.set(start, next);
  low.set(start, next++);
  stack.push(start);
  onStack.add(start);
  while (work.length > 0) {
    const frame = work[work.length - 1];
    const [node, edge] = frame;
    const targets = edges.get(node);
    if (edge < targets.length) {
      frame[1]++;
      const target = targets[edge];
      if (!index.has(target)) {
        index.set(target, next);
        low.set(target, next++);
        stack.push(target);
        onStack.add(target);
        work.push([target, 0]);
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node), index.get(target)));
      }
      continue;
    }
    work.pop();
    if (work.length > 0) {
      const parent = work[work.length - 1][0];
      low.set(parent, Math.min(low.get(parent), low.get(node)));
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || edges.get(node).includes(node)) cycles.push(component);
    }
  }
}

for (const cycle of cycles) console.error(`import cycle: ${cycle.map((file) => relative(ROOT, file)).join(' ↔ ')}`);
if (cycles.length > 0) process.exit(1);
console.log(`import cycles: none among ${files.length} modules (type-only imports included)`);
