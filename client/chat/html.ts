// The chat webview's document: a strict CSP (nothing by default; our bundle and styles only, by nonce
// and by the webview's own resource origin), no remote resource, no inline handler. The DOM is built
// by dist/webview.js. Pure: the URIs come in as strings (asWebviewUri happens in panel.ts).
import { randomBytes } from 'node:crypto';

export interface ChatHtmlContext {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
}

/** 128 bits from the OS CSPRNG, fresh for every load of the document. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function chatCsp(ctx: Pick<ChatHtmlContext, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${ctx.nonce}'`,
    `style-src ${ctx.cspSource} 'nonce-${ctx.nonce}'`,
    `font-src ${ctx.cspSource}`,
    `img-src ${ctx.cspSource} data:`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function chatHtml(ctx: ChatHtmlContext): string {
  const n = attr(ctx.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(chatCsp(ctx))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${n}" href="${attr(ctx.codiconUri)}">
<link rel="stylesheet" nonce="${n}" href="${attr(ctx.styleUri)}">
<title>Switchyard Chat</title>
</head>
<body>
<div id="app" aria-busy="true"><p class="loading">Loading the chat…</p></div>
<script nonce="${n}" src="${attr(ctx.scriptUri)}"></script>
</body>
</html>`;
}
