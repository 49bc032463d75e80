// The local proxy token: what terminals send as OPENAI_API_KEY. It guards the proxy, it is not a
// gateway key. Precedence: --token, then SWITCHYARD_PROXY_TOKEN, then `<data dir>/proxy-token`,
// generated once with crypto.randomBytes and written mode 0600 so the editor and the headless
// command hand terminals the same token.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { registerSecret } from '../core/log';
import { UsageError, errorMessage } from '../core/errors';

export const TOKEN_FILE = 'proxy-token';
const TOKEN_SHAPE = /^[\x21-\x7e]{16,512}$/;

export interface ProxyToken {
  token: string;
  source: 'flag' | 'env' | 'file';
  /** Where the token is kept, when it came from the data directory. */
  file?: string;
}

/** A problem with a token a person supplied, or undefined when it is usable. */
export function tokenProblem(token: string): string | undefined {
  if (TOKEN_SHAPE.test(token)) return undefined;
  return 'a proxy token is 16 to 512 printable characters without spaces';
}

export function generateToken(): string {
  // "sk-" because some tools check that an OpenAI key looks like one; the rest is 256 random bits.
  return `sk-switchyard-${randomBytes(32).toString('base64url')}`;
}

export function resolveProxyToken(opts: { flag?: string; env: NodeJS.ProcessEnv; dataDir: string }): ProxyToken {
  const fromEnv = opts.env.SWITCHYARD_PROXY_TOKEN?.trim();
  const supplied = opts.flag !== undefined ? { token: opts.flag, source: 'flag' as const } : fromEnv ? { token: fromEnv, source: 'env' as const } : undefined;
  if (supplied) {
    const problem = tokenProblem(supplied.token);
    if (problem) throw new UsageError(`${supplied.source === 'flag' ? '--token' : 'SWITCHYARD_PROXY_TOKEN'}: ${problem}`);
    registerSecret(supplied.token);
    return supplied;
  }
  const file = path.join(opts.dataDir, TOKEN_FILE);
  const token = readOrCreate(file);
  registerSecret(token);
  return { token, source: 'file', file };
}

function readStored(file: string): string | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim();
    if (tokenProblem(text)) return undefined; // damaged or hand-edited badly: replace it
    // Someone widened the mode: the token is only a local guard, but it stays private to the user.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return text;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the proxy token ${file}: ${errorMessage(e)}`);
  }
}

function readOrCreate(file: string): string {
  const existing = readStored(file);
  if (existing) return existing;
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const token = generateToken();
  try {
    // `wx`: when the editor and `switchyard proxy` start together, one writes and the other reads.
    writeFileSync(file, token + '\n', { mode: 0o600, flag: 'wx' });
    return token;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot write the proxy token ${file}: ${errorMessage(e)}`);
  }
  const raced = readStored(file);
  if (raced) return raced;
  // The file exists but holds no usable token: overwrite it.
  writeFileSync(file, token + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}
