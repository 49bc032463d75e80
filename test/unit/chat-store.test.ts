// The chat history store (client/chat/store.ts) on a real temp directory: round trip, listing,
// rename, delete, atomic writes (a failed write leaves the old file whole and no temp file behind),
// ordered concurrent saves, and files it cannot read are skipped, never deleted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HistoryStore, type StoreFs } from '../../client/chat/store';
import { newConversation, toMarkdown } from '../../client/chat/conversation';
import { metaParts } from '../../client/chat/format';
import type { Conversation } from '../../client/chat/protocol';

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchyard-chats-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return path.join(dir, 'chats'); // not created yet: the store makes it
}

function sample(title = 'About the parser', at = 1000): Conversation {
  const c = newConversation({ models: [{ model: 'gpt-4o-mini', gateway: 'fake-nemorouter', label: 'GPT-4o mini' }], system: 'Be brief.' }, at);
  c.title = title;
  c.messages.push(
    { role: 'user', id: 'u1', text: 'What does this do?', attachments: [{ id: 'a1', kind: 'selection', label: 'src/p.ts:3-9', language: 'typescript', content: 'const x = 1;' }], at },
    {
      role: 'assistant', id: 'a1x', model: { model: 'gpt-4o-mini', gateway: 'fake-nemorouter' }, content: 'It sets `x`.\n\n```ts\nconst x = 1;\n```', status: 'done', at,
      meta: { servedModel: 'gpt-4o-mini', gateway: 'fake-nemorouter', inputTokens: 20, outputTokens: 8, costUsd: 0.0000123, costSource: 'gateway', latencyMs: 840 },
    },
  );
  return c;
}

test('save then load gives the same conversation; list summarises it', async (t) => {
  const store = new HistoryStore(await tempDir(t));
  const c = sample();
  await store.save(c);
  assert.deepEqual(await store.load(c.id), c);
  const list = await store.list();
  assert.equal(list.length, 1);
  assert.deepEqual({ ...list[0] }, {
    id: c.id, title: 'About the parser', createdAt: 1000, updatedAt: 1000, models: ['gpt-4o-mini'], answers: 1, totalUsd: 0.0000123, preview: 'What does this do?',
  });
  assert.equal(await store.load('00000000-0000-0000-0000-000000000000'), undefined, 'unknown id: undefined, not an error');
});

test('list is newest first; rename and delete work', async (t) => {
  const store = new HistoryStore(await tempDir(t));
  const a = sample('first', 1000);
  const b = sample('second', 2000);
  await Promise.all([store.save(a), store.save(b)]);
  assert.deepEqual((await store.list()).map((s) => s.title), ['second', 'first']);
  const renamed = await store.rename(a.id, '  Renamed  ');
  assert.equal(renamed.title, 'Renamed');
  assert.equal((await store.load(a.id))?.title, 'Renamed');
  await store.remove(b.id);
  assert.deepEqual((await store.list()).map((s) => s.title), ['Renamed']);
  await store.remove(b.id); // twice is fine
  await assert.rejects(store.rename(b.id, 'x'), /no longer exists/);
});

test('writes are atomic: a write that fails half-way leaves the previous file intact and no temp file', async (t) => {
  const dir = await tempDir(t);
  let failNext = false;
  const flaky: StoreFs = {
    mkdir: fs.mkdir,
    readFile: fs.readFile,
    readdir: fs.readdir,
    unlink: fs.unlink,
    rename: fs.rename,
    async writeFile(file, data, opts) {
      if (failNext) {
        failNext = false;
        await fs.writeFile(file, data.slice(0, 10), opts); // half a file on disk, then the disk is "full"
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      }
      return fs.writeFile(file, data, opts);
    },
  };
  const store = new HistoryStore(dir, flaky);
  const c = sample('v1');
  await store.save(c);
  failNext = true;
  await assert.rejects(store.save({ ...c, title: 'v2' }), /ENOSPC/);
  assert.equal((await store.load(c.id))?.title, 'v1', 'the old version survives');
  assert.deepEqual((await fs.readdir(dir)).sort(), [`${c.id}.json`], 'no temporary file left behind');
  await store.save({ ...c, title: 'v3' });
  assert.equal((await store.load(c.id))?.title, 'v3', 'the next save works');
});

test('every write goes through a temp file renamed over the target', async (t) => {
  const dir = await tempDir(t);
  const renames: [string, string][] = [];
  const spy: StoreFs = { ...fs, readdir: fs.readdir, rename: async (a, b) => { renames.push([a, b]); await fs.rename(a, b); } } as StoreFs;
  const store = new HistoryStore(dir, spy);
  const c = sample();
  await store.save(c);
  assert.equal(renames.length, 1);
  assert.equal(renames[0][1], path.join(dir, `${c.id}.json`));
  assert.match(path.basename(renames[0][0]), new RegExp(`^${c.id}\\.json\\..+\\.tmp$`));
});

test('saves of one conversation land in call order even when an early write is slow', async (t) => {
  const dir = await tempDir(t);
  let first = true;
  const slow: StoreFs = {
    ...fs,
    readdir: fs.readdir,
    async writeFile(file, data, opts) {
      if (first) {
        first = false;
        await new Promise<void>((resolve) => setImmediate(resolve)); // yield so the later save could overtake
      }
      return fs.writeFile(file, data, opts);
    },
  } as StoreFs;
  const store = new HistoryStore(dir, slow);
  const c = sample('one');
  await Promise.all([store.save(c), store.save({ ...c, title: 'two' }), store.save({ ...c, title: 'three' })]);
  assert.equal((await store.load(c.id))?.title, 'three');
});

test('flush() waits for every save asked for (deactivate awaits it: a reload right after a stop keeps the stopped answer)', async (t) => {
  const dir = await tempDir(t);
  const gates: (() => void)[] = [];
  const held: StoreFs = {
    ...fs,
    readdir: fs.readdir,
    async writeFile(file, data, opts) {
      await new Promise<void>((resolve) => gates.push(resolve)); // each write waits until released
      return fs.writeFile(file, data, opts);
    },
  } as StoreFs;
  const store = new HistoryStore(dir, held);
  const a = sample('a');
  const b = { ...sample('b'), id: 'other-conversation' };
  void store.save(a);
  void store.save({ ...a, title: 'a, stopped' });
  void store.save(b).catch(() => {});
  let flushed = false;
  const done = store.flush().then(() => (flushed = true));
  for (let i = 0; i < 3; i++) {
    while (gates.length === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(flushed, false, `flush resolved with ${3 - i} write(s) still pending`);
    gates.shift()!();
  }
  await done;
  assert.equal((await store.load(a.id))?.title, 'a, stopped');
  assert.equal((await store.load(b.id))?.title, 'b');
  await store.flush(); // nothing pending: resolves at once
});

test('an answer stored while still streaming (a reload or a quit mid-answer) comes back stopped, with its text, never spinning — in the panel, the list and the export', async (t) => {
  const dir = await tempDir(t);
  const store = new HistoryStore(dir);
  const conv = sample('cut off');
  conv.messages.push(
    { role: 'user', id: 'u2', text: 'A long answer please', attachments: [], at: 2000 },
    { role: 'assistant', id: 'a2', model: { model: 'gpt-4o-mini', gateway: 'fake-nemorouter' }, content: 'Echo: A long', status: 'streaming', at: 2000 },
  );
  await store.save(conv);
  const loaded = (await store.load(conv.id))!;
  const shown = loaded.messages.at(-1)!;
  assert.ok(shown.role === 'assistant');
  assert.equal(shown.status, 'stopped');
  assert.equal(shown.content, 'Echo: A long', 'what arrived is kept');
  assert.ok(metaParts(shown).includes('stopped'), 'the meta line says stopped');
  assert.equal(loaded.messages[1]!.role === 'assistant' && loaded.messages[1]!.status, 'done', 'finished answers are left alone');
  assert.equal((await store.list())[0]?.id, conv.id, 'the history lists it');
});

test('unreadable and foreign files are skipped and logged, never deleted; odd names are ignored', async (t) => {
  const dir = await tempDir(t);
  const logs: string[] = [];
  const store = new HistoryStore(dir, undefined, (m) => logs.push(m));
  const c = sample();
  await store.save(c);
  await fs.writeFile(path.join(dir, 'broken.json'), '{"version":1,');
  await fs.writeFile(path.join(dir, 'other.json'), '{"hello":"world"}');
  await fs.writeFile(path.join(dir, 'notes.txt'), 'x');
  await fs.writeFile(path.join(dir, 'bad name!.json'), '{}');
  assert.deepEqual((await store.list()).map((s) => s.id), [c.id]);
  assert.equal(logs.length, 2, logs.join('\n'));
  assert.ok(logs.some((l) => /broken\.json.*not JSON/.test(l)));
  assert.ok(logs.some((l) => /other\.json.*not a Switchyard conversation/.test(l)));
  assert.ok((await fs.readdir(dir)).includes('broken.json'), 'left alone');
  await assert.rejects(store.load('broken'), /not JSON/);
});

test('ids that could escape the folder are refused', async (t) => {
  const store = new HistoryStore(await tempDir(t));
  await assert.rejects(store.load('../secrets'), /invalid conversation id/);
  await assert.rejects(store.remove('a/b'), /invalid conversation id/);
  await assert.rejects(store.save({ ...sample(), id: '../../x' }), /invalid conversation/);
});

test('a missing folder is an empty history', async (t) => {
  const store = new HistoryStore(await tempDir(t));
  assert.deepEqual(await store.list(), []);
});

test('Markdown export: title, models, total, system prompt, each prompt with its attachment, each answer with its cost line', () => {
  const md = toMarkdown(sample());
  assert.match(md, /^# About the parser\n/);
  assert.match(md, /- Models: GPT-4o mini \(gpt-4o-mini\) via fake-nemorouter/);
  assert.match(md, /- Total \$0\.0000123 · 1 answer · 20 in \/ 8 out tokens/);
  assert.match(md, /## System prompt\n\n> Be brief\./);
  assert.match(md, /## You\n\nWhat does this do\?\n\nSelection from src\/p\.ts:3-9:\n```typescript\nconst x = 1;\n```/);
  assert.match(md, /It sets `x`\.\n\n```ts\nconst x = 1;\n```/);
  assert.match(md, /\*gpt-4o-mini · fake-nemorouter · 20 in \/ 8 out tokens · \$0\.0000123 · 840 ms\*/);
});
