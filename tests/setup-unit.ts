// IndexedDB for lib/storage tests: a complete in-memory implementation, reset per test file
// because vitest isolates modules per file.
import 'fake-indexeddb/auto';
