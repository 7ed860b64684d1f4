/**
 * `build()` once, on the first call, and the same value after that. For zod schemas and rule
 * tables in modules the content scripts import: building them costs real time on the page's
 * main thread, and a module-level one is built on every page whether or not anything uses it.
 */
export function lazy<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}
