// Browser entry for the fixture pages: global-setup.ts bundles this into an IIFE that exposes
// `window.AnthropicSdk.Anthropic`, served at http://sdk-cdn.test/anthropic.js.
export { default as Anthropic } from '@anthropic-ai/sdk';
