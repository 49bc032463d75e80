// The one build script: three bundles (the extension's in two files).
//   dist/client.js   the VS Code extension (only `vscode` external), what activation loads
//   dist/lsp-client.js  vscode-languageclient and the protocol libraries, loaded by client.js right
//                    after activation (client/extension.ts says why, and how the two share jsonrpc)
//   dist/server.js   language server + `switchyard` CLI (everything bundled, runs on plain Node 20)
//   dist/webview.js  the chat/details webview (browser), with its CSS next to it
// Usage: node esbuild.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { mkdirSync, copyFileSync } from 'node:fs';
import * as path from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/**
 * zod re-exports its ~45 message locales (`z.locales`, ≈ 300 KB minified) from its namespace, so none can
 * be tree-shaken. Switchyard speaks English only (the default locale, set inside zod from `en.js`), so
 * the index of locales is replaced by one that exports `en` alone.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: path.join(path.dirname(args.importer), '../locales/index.js'), namespace: 'zod-locales' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

/** dist/client.js: the language client and the protocol libraries are dist/lsp-client.js's, not its. */
const activationBundle = {
  name: 'activation-bundle',
  setup(build) {
    build.onResolve({ filter: /^vscode-(languageclient|languageserver-protocol)(\/|$)/ }, (args) =>
      /[\\/]node_modules[\\/]/.test(args.importer)
        ? undefined
        : { errors: [{ text: `${args.path} is loaded after activation: use it in client/lsp/client.ts (dist/lsp-client.js), or import from vscode-jsonrpc` }] },
    );
    build.onResolve({ filter: /^\.\/lsp-client\.js$/ }, () => ({ path: './lsp-client.js', external: true }));
  },
};

/** dist/lsp-client.js: vscode-jsonrpc is the one dist/client.js holds and exports (client/extension.ts). */
const languageClientBundle = {
  name: 'language-client-bundle',
  setup(build) {
    build.onResolve({ filter: /^vscode-jsonrpc(\/node)?$/ }, () => ({ path: 'vscode-jsonrpc', namespace: 'from-client-js' }));
    build.onLoad({ filter: /.*/, namespace: 'from-client-js' }, () => ({
      contents: "module.exports = require('./client.js').jsonrpc;",
      loader: 'js',
    }));
    build.onResolve({ filter: /^\.\/client\.js$/ }, (args) =>
      args.namespace === 'from-client-js' ? { path: './client.js', external: true } : undefined,
    );
    // A second jsonrpc (reached another way) would break every request at run time ("Unknown
    // parameter structure"): fail the build instead.
    build.initialOptions.metafile = true;
    build.onEnd((result) => {
      const copy = Object.keys(result.metafile?.inputs ?? {}).find((f) => /(^|\/)node_modules\/vscode-jsonrpc\//.test(f));
      return copy ? { errors: [{ text: `dist/lsp-client.js bundles ${copy}; it must use dist/client.js's vscode-jsonrpc` }] } : undefined;
    });
  },
};

/** @type {import('esbuild').BuildOptions} */
const common = {
  plugins: [zodEnglishOnly],
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
  // VS Code 1.91 (the oldest engines.vscode we accept) ships Node 20 in its extension host.
  target: 'node20',
  platform: 'node',
  format: 'cjs',
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    plugins: [...common.plugins, activationBundle],
    entryPoints: ['client/extension.ts'],
    outfile: 'dist/client.js',
    external: ['vscode'],
  },
  {
    ...common,
    plugins: [...common.plugins, languageClientBundle],
    entryPoints: { 'lsp-client': 'client/lsp/client.ts' },
    outdir: 'dist',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['server/main.ts'],
    outfile: 'dist/server.js',
    banner: { js: '#!/usr/bin/env node' },
    // undici optionally requires these; they are not used and must not be looked for at run time.
    external: [],
    // Production: whitespace and syntax minified, identifiers kept. Measured with `npm run
    // bench:proxy` (README "Proxy benchmark"): `switchyard proxy` idles ~9 MiB lower than with
    // mangled identifiers, and stack traces in bug reports keep their function names; the bundle
    // is ~0.5 MB larger.
    ...(production ? { minify: false, minifyWhitespace: true, minifySyntax: true } : {}),
  },
  {
    ...common,
    entryPoints: { webview: 'media/webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: ['chrome120'],
    loader: { '.css': 'css', '.ttf': 'file' },
  },
];

function copyAssets() {
  mkdirSync('dist', { recursive: true });
  // Codicons are shipped as the font + its CSS, loaded by the webview through asWebviewUri.
  copyFileSync('node_modules/@vscode/codicons/dist/codicon.css', 'dist/codicon.css');
  copyFileSync('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/codicon.ttf');
}

copyAssets();
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[watch] watching client, server and webview');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build({ ...b, metafile: true })));
  for (const r of results) {
    for (const [file, info] of Object.entries(r.metafile.outputs)) {
      if (file.endsWith('.js')) console.log(`${file} ${(info.bytes / 1024).toFixed(1)} KB`);
    }
  }
}
