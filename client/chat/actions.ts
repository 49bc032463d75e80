// What the chat can do in the editor on the person's behalf: copy, insert code at the cursor, open code
// in a new file, open a link (after asking), export a conversation to Markdown.
import * as vscode from 'vscode';
import { toMarkdown } from './conversation';
import type { Conversation } from './protocol';

/** Fence tags models write, mapped to VS Code language ids. */
const LANGUAGE_ALIASES: Record<string, string> = {
  py: 'python', python3: 'python', ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', jsx: 'javascriptreact',
  sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript', shell: 'shellscript', console: 'shellscript', yml: 'yaml',
  md: 'markdown', rb: 'ruby', rs: 'rust', kt: 'kotlin', cs: 'csharp', 'c#': 'csharp', 'c++': 'cpp', golang: 'go',
  ps1: 'powershell', dockerfile: 'dockerfile', jsonc: 'jsonc', text: 'plaintext', txt: 'plaintext',
};

export async function languageId(fenceTag: string | undefined): Promise<string> {
  if (!fenceTag) return 'plaintext';
  const want = LANGUAGE_ALIASES[fenceTag.toLowerCase()] ?? fenceTag.toLowerCase();
  return (await vscode.languages.getLanguages()).includes(want) ? want : 'plaintext';
}

/** Inserts at the cursor(s) of the editor last used (a focused webview leaves no active editor). */
export async function insertAtCursor(editor: vscode.TextEditor | undefined, code: string): Promise<string | undefined> {
  if (!editor || editor.document.isClosed) return 'Open a file and put the cursor where the code should go, then press Insert again.';
  // A visible editor keeps all its cursors; one that was hidden meanwhile is shown again first.
  const target = vscode.window.visibleTextEditors.includes(editor)
    ? editor
    : await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, selection: editor.selection });
  const text = code.replace(/\n$/, '');
  const ok = await target.edit((b) => target.selections.forEach((s) => b.replace(s, text)));
  return ok ? undefined : `${vscode.workspace.asRelativePath(editor.document.uri)} did not accept the edit (read-only?).`;
}

export async function openInNewFile(code: string, fenceTag: string | undefined): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ content: code, language: await languageId(fenceTag) });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
}

/** Only web and mail links, and only once the person said yes; never a command: or file: link from model output. */
export async function openLink(href: string, log: vscode.LogOutputChannel): Promise<string | undefined> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(href, true);
  } catch {
    return `Not a link Switchyard can open: ${href.slice(0, 200)}`;
  }
  if (!['http', 'https', 'mailto'].includes(uri.scheme)) {
    log.warn(`chat: refused to open a ${uri.scheme}: link from the chat`);
    return `Only http, https and mailto links open from the chat (this one is ${uri.scheme}:).`;
  }
  const choice = await vscode.window.showWarningMessage(
    'Open a link from the chat?',
    { modal: true, detail: `${href.slice(0, 2000)}\n\nThe link comes from model output: check where it goes before opening it.` },
    'Open Link', 'Copy Link',
  );
  if (choice === 'Open Link') await vscode.env.openExternal(uri);
  if (choice === 'Copy Link') await vscode.env.clipboard.writeText(href);
  return undefined;
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'chat';
}

/** Asks where, writes the Markdown; resolves with the file written (undefined when cancelled). */
export async function exportMarkdown(conv: Conversation): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `${slug(conv.title)}.md`;
  const target = await vscode.window.showSaveDialog({
    title: 'Export the chat to Markdown',
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: { Markdown: ['md'] },
    saveLabel: 'Export',
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(toMarkdown(conv)));
  void vscode.window.showInformationMessage(`Switchyard: chat exported to ${vscode.workspace.asRelativePath(target)}.`, 'Open').then((a) => {
    if (a) void vscode.window.showTextDocument(target);
  });
  return target;
}
