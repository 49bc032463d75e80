// Context for a prompt: the editor selection, the current file, or files picked from disk. Text only,
// bounded in size, labelled with a workspace-relative path so the model (and the person) knows what it is.
import * as vscode from 'vscode';
import path from 'node:path';
import { newId } from './conversation';
import type { Attachment } from './protocol';

/** Largest attachment: a big source file fits, a log dump or a binary does not. */
export const MAX_ATTACHMENT_BYTES = 512 * 1024;

export type AttachResult = { ok: true; items: Attachment[]; skipped: string[] } | { ok: false; reason: string };

function label(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

export function attachSelection(editor: vscode.TextEditor | undefined): AttachResult {
  if (!editor) return { ok: false, reason: 'No editor to take a selection from: select some text in a file first.' };
  const sels = editor.selections.filter((s) => !s.isEmpty);
  if (!sels.length) return { ok: false, reason: `Nothing is selected in ${label(editor.document.uri)}: select some text first.` };
  return { ok: true, skipped: [], items: sels.map((s) => selectionAttachment(editor.document, s)) };
}

export function selectionAttachment(doc: vscode.TextDocument, s: vscode.Selection | vscode.Range): Attachment {
  const lines = s.start.line === s.end.line ? `${s.start.line + 1}` : `${s.start.line + 1}-${s.end.line + 1}`;
  return { id: newId(), kind: 'selection', label: `${label(doc.uri)}:${lines}`, language: doc.languageId, content: doc.getText(s) };
}

export function attachDocument(editor: vscode.TextEditor | undefined): AttachResult {
  if (!editor) return { ok: false, reason: 'No file is open in an editor.' };
  const doc = editor.document;
  const content = doc.getText();
  if (Buffer.byteLength(content) > MAX_ATTACHMENT_BYTES) {
    return { ok: false, reason: `${label(doc.uri)} is larger than ${MAX_ATTACHMENT_BYTES / 1024} KB: attach a selection instead.` };
  }
  return { ok: true, skipped: [], items: [{ id: newId(), kind: 'file', label: label(doc.uri), language: doc.languageId, content }] };
}

export async function attachPicked(): Promise<AttachResult> {
  const uris = await vscode.window.showOpenDialog({
    canSelectMany: true, canSelectFiles: true, canSelectFolders: false, openLabel: 'Attach', title: 'Attach files to the chat',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  if (!uris?.length) return { ok: true, items: [], skipped: [] };
  const items: Attachment[] = [];
  const skipped: string[] = [];
  for (const uri of uris) {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_ATTACHMENT_BYTES) {
        skipped.push(`${label(uri)} (larger than ${MAX_ATTACHMENT_BYTES / 1024} KB)`);
        continue;
      }
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.subarray(0, 8192).includes(0)) {
        skipped.push(`${label(uri)} (not a text file)`);
        continue;
      }
      const ext = path.extname(uri.path).slice(1).toLowerCase();
      items.push({ id: newId(), kind: 'file', label: label(uri), language: ext || undefined, content: new TextDecoder('utf-8').decode(bytes) });
    } catch (e) {
      skipped.push(`${label(uri)} (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return { ok: true, items, skipped };
}
