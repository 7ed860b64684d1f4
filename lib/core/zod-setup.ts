import { config } from 'zod/mini';

// Extension pages, the service worker and content scripts' isolated worlds forbid eval by CSP.
// zod would try `new Function` once to learn whether its JIT may run, and Chrome reports that
// try as a CSP violation on the extension's error page; RelayGuard runs no generated code, so
// say so up front. Imported for this side effect by the protocol modules every bundle loads.
config({ jitless: true });
