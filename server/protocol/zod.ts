// The schemas the VS Code client and the webview load are written with `zod/mini`, which tree-shakes:
// classic `zod` was 188 KB of the 296 KB minified dist/client.js and 92 KB of the 295 KB dist/webview.js;
// mini is 45 KB and 28 KB of them. Server-only code keeps classic `zod`. Mini sets no locale of its own,
// so English (classic's default) is configured here for every module that imports `z` from this file.
import * as z from 'zod/mini';

z.config(z.locales.en());

export * from 'zod/mini';
