// The schemas the VS Code client and the webview load are written with `zod/mini`, which tree-shakes:
// classic `zod` took 188 KB of the minified dist/client.js and 92 KB of dist/webview.js; mini takes
// 45 KB and 28 KB. Server-only code keeps classic `zod`. Mini sets no locale of its own,
// so English (classic's default) is configured here for every module that imports `z` from this file.
import * as z from 'zod/mini';

z.config(z.locales.en());

export * from 'zod/mini';
