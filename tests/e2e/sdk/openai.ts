// Browser entry for the fixture pages: global-setup.ts bundles this into an IIFE that exposes
// `window.OpenAISdk.OpenAI`, served at http://sdk-cdn.test/openai.js. Nothing else is added:
// the pages use the SDK exactly as its README shows.
export { default as OpenAI } from 'openai';
