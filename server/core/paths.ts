import * as os from 'node:os';
import * as path from 'node:path';

/** The data directory when no editor provides one: --data-dir, else $XDG_DATA_HOME/switchyard. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(os.homedir(), '.local', 'share');
  return path.join(xdg, 'switchyard');
}
