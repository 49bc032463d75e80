// Turn the settings zod schema into (a) package.json `contributes.configuration` and (b) the JSON
// Schema of the headless `switchyard.json`. Used by scripts/gen-settings.ts and by the drift test.
import { z } from 'zod';
import { SettingsSchema } from '../server/protocol/settings';

type Json = Record<string, unknown>;

export function configFileSchema(): Json {
  const schema = z.toJSONSchema(SettingsSchema, { io: 'input', unrepresentable: 'any' }) as Json;
  const props = (schema.properties ?? {}) as Json;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Switchyard configuration (switchyard.json)',
    description: 'Settings for the headless `switchyard` CLI: the `switchyard.*` editor settings without the prefix.',
    type: 'object',
    properties: { $schema: { type: 'string' }, ...props },
    additionalProperties: false,
  };
}

/** Nested objects become dotted settings (`switchyard.proxy.port`); arrays and maps stay one setting. */
export function contributesConfiguration(): Json {
  const root = z.toJSONSchema(SettingsSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as Json;
  const out: Record<string, Json> = {};
  const walk = (prefix: string, node: Json) => {
    const props = (node.properties ?? {}) as Record<string, Json>;
    for (const [key, child] of Object.entries(props)) {
      const name = `${prefix}.${key}`;
      const isPlainObject = child.type === 'object' && !!child.properties;
      if (isPlainObject) walk(name, child);
      else out[name] = leaf(child);
    }
  };
  walk('switchyard', root);
  return { title: 'Switchyard', properties: out };
}

function leaf(schema: Json): Json {
  const { description, ...rest } = schema;
  const copy: Json = { ...rest };
  if (description) copy.markdownDescription = description;
  if (!('default' in copy)) copy.default = copy.type === 'array' ? [] : copy.type === 'object' ? {} : null;
  if (copy.default === null && typeof copy.type === 'string') copy.type = [copy.type, 'null'];
  return copy;
}
