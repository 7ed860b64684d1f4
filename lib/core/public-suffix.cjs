/*
 * tldts's getDomain, with tldts loaded on the first call instead of when a bundle starts.
 *
 * tldts derives its public-suffix trie's tables when its module is evaluated: about 4 ms of a
 * cold service worker's start, spent even on wakes that judge no host (an alarm, a message from
 * the options page). A bundler evaluates an ES module's imports up front, but a module that
 * CommonJS `require`s where it is first needed, so this file is CommonJS on purpose.
 */
let tldts = null;

exports.getDomain = (url, options) => (tldts ??= require('tldts')).getDomain(url, options);
