// The headless configuration file (`--config FILE`): JSON with the settings' keys minus the
// `switchyard.` prefix, validated by the same schema as the editor settings.
import { readFileSync } from 'node:fs';
import { parseSettings, type Settings, DEFAULT_SETTINGS } from '../protocol/settings';
import { UsageError, errorMessage } from '../core/errors';

export function loadConfigFile(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Settings {
  const path = file ?? env.SWITCHYARD_CONFIG;
  if (!path) return DEFAULT_SETTINGS;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read config file ${path}: ${errorMessage(e)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`config file ${path} is not valid JSON: ${errorMessage(e)}`);
  }
  // Accept `$schema` (editors add it for completion) and tolerate a leading `switchyard.` on keys.
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const obj: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (k === '$schema') continue;
      obj[k.startsWith('switchyard.') ? k.slice('switchyard.'.length) : k] = v;
    }
    raw = obj;
  }
  const r = parseSettings(raw);
  if (!r.ok) throw new UsageError(`config file ${path} is invalid:\n${r.error}`);
  return r.settings;
}
