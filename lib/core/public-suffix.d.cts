/** tldts's getDomain, loaded on its first call (public-suffix.cjs says why). */
export declare const getDomain: typeof import('tldts').getDomain;
