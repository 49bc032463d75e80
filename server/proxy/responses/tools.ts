// Responses API tools ↔ Chat Completions functions. Chat Completions has only JSON functions, so:
//   function            → the same function
//   custom (freeform)   → a function with one string parameter `input`; calls go back as custom_tool_call
//   namespace {tools}   → one function per member, named `<namespace>__<name>`; calls go back as
//                         function_call with `namespace` set (how Codex addresses e.g. multi_agent_v1)
//   local_shell         → a function `local_shell` taking the exec action; calls go back as local_shell_call
// Chat function names are limited to [A-Za-z0-9_-]{1,64}; longer or odd names get a safe unique one.

export type ToolKind = 'function' | 'custom' | 'local_shell';

export interface ToolTarget {
  kind: ToolKind;
  name: string;
  namespace?: string;
}

export interface ToolMap {
  chatTools: Record<string, unknown>[];
  /** The chat function name a Responses tool (or a call of it in the history) is known by. */
  chatNameOf(t: ToolTarget): string | undefined;
  /** The Responses tool behind a chat function name the model called. */
  targetOf(chatName: string): ToolTarget | undefined;
}

type RawTool = { type: string; name?: string } & Record<string, unknown>;

const key = (t: ToolTarget) => `${t.kind === 'local_shell' ? 'local_shell' : t.kind === 'custom' ? 'custom' : 'function'}\u0000${t.namespace ?? ''}\u0000${t.name}`;

/** The chat name a target gets when nothing else is taken (also for calls of tools no longer offered). */
export function chatToolName(t: ToolTarget): string {
  const joined = t.namespace ? `${t.namespace}__${t.name}` : t.name;
  return joined.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'tool';
}

const LOCAL_SHELL_PARAMETERS = {
  type: 'object',
  properties: {
    command: { type: 'array', items: { type: 'string' }, description: 'The command and its arguments (argv).' },
    working_directory: { type: 'string' },
    timeout_ms: { type: 'integer' },
  },
  required: ['command'],
};

export function toolMap(tools: RawTool[], refuse: (type: string, index: number) => Error): ToolMap {
  const chatTools: Record<string, unknown>[] = [];
  const byKey = new Map<string, string>();
  const byChat = new Map<string, ToolTarget>();
  const add = (target: ToolTarget, fn: Record<string, unknown>) => {
    let name = chatToolName(target);
    for (let n = 2; byChat.has(name); n++) name = `${chatToolName(target).slice(0, 60)}_${n}`;
    byKey.set(key(target), name);
    byChat.set(name, target);
    chatTools.push({ type: 'function', function: { ...fn, name } });
  };
  tools.forEach((t, i) => {
    if (t.type === 'function' && t.name) {
      add({ kind: 'function', name: t.name }, functionFields(t));
    } else if (t.type === 'custom' && t.name) {
      add({ kind: 'custom', name: t.name }, {
        description: customDescription(t),
        parameters: { type: 'object', properties: { input: { type: 'string', description: 'The tool input, as free-form text.' } }, required: ['input'] },
      });
    } else if (t.type === 'namespace' && t.name && Array.isArray(t.tools)) {
      for (const member of t.tools as RawTool[]) {
        if (member?.type === 'function' && member.name) add({ kind: 'function', name: member.name, namespace: t.name }, functionFields(member));
        else if (member?.type === 'custom' && member.name) add({ kind: 'custom', name: member.name, namespace: t.name }, { description: customDescription(member), parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] } });
        else throw refuse(`${t.type}/${String(member?.type)}`, i);
      }
    } else if (t.type === 'local_shell') {
      add({ kind: 'local_shell', name: 'local_shell' }, { description: 'Run a command on the user\'s machine.', parameters: LOCAL_SHELL_PARAMETERS });
    } else {
      throw refuse(t.type, i);
    }
  });
  return {
    chatTools,
    chatNameOf: (t) => byKey.get(key(t)),
    targetOf: (name) => byChat.get(name),
  };
}

function functionFields(t: RawTool): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof t.description === 'string') out.description = t.description;
  out.parameters = t.parameters && typeof t.parameters === 'object' ? t.parameters : { type: 'object', properties: {} };
  if (typeof t.strict === 'boolean') out.strict = t.strict;
  return out;
}

/** A freeform tool's grammar travels in the description: the model still sees what input is valid. */
function customDescription(t: RawTool): string {
  const base = typeof t.description === 'string' ? t.description : '';
  const f = t.format as { type?: unknown; syntax?: unknown; definition?: unknown } | undefined;
  if (f?.type === 'grammar' && typeof f.definition === 'string') {
    return `${base}\n\nThe input must follow this ${typeof f.syntax === 'string' ? f.syntax : ''} grammar:\n${f.definition}`.trim();
  }
  return base;
}
