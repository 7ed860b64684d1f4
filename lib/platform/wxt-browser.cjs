/*
 * What `wxt/browser` resolves to in every build (wxt.config.ts): webextension-polyfill's
 * `browser`, as @wxt-dev/webextension-polyfill/browser exports it, but handed over inside a
 * plain object, from CommonJS to CommonJS.
 *
 * @wxt-dev/webextension-polyfill/browser is ESM re-exporting the polyfill's CommonJS default
 * (`export { default as browser } from 'webextension-polyfill'`). For that the bundler's
 * interop (`__toESM`) copies every own property of the polyfill's export onto a namespace
 * object, reading each one's property descriptor; in Chromium that export is the native
 * `browser` object, whose API namespaces are lazy, so the copy creates the binding of every
 * extension API (app, dom, extension, i18n, runtime, storage, …) on every page the content
 * script runs on. A `require` of the polyfill from CommonJS gets its export as is, and the
 * bundler reads `browser` off this object statically: no interop, and only the namespaces the
 * code touches are ever created. The object the code sees is the polyfill's own, unchanged.
 */
module.exports = { browser: require('webextension-polyfill') };
