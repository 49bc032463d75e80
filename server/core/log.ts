// Logging for the server and CLI. Every line passes through `redact`, so a key that slipped into an
// error message (an upstream echoing the Authorization header, say) never reaches a log.
export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

const secrets = new Set<string>();

/**
 * Every text `redact` changes contains one of these: a registered secret, the start of a key shape
 * (`sk-`, `lr_live_`, `Bearer`) or a URL's `://`. One scan for them lets the usual text (a model
 * name, a request id, a cost: several per proxied answer) through untouched; rebuilt when a secret is
 * registered.
 */
let anyMatch = mightMatch();

function mightMatch(): RegExp {
  const literals = [...secrets, 'sk-', 'lr_live_', 'Bearer', '://'].map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(literals.join('|'));
}

/** Register a secret (an API key, the proxy token) so that it is masked wherever it would be logged. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8 && !secrets.has(value)) {
    secrets.add(value);
    anyMatch = mightMatch();
  }
}

const KEY_SHAPES = /\b(sk-[A-Za-z0-9_-]{8,}|lr_live_[A-Za-z0-9_-]{6,}|Bearer\s+[A-Za-z0-9._~+/=-]{8,})/g;

/** `scheme://user:password@` in a URL (a password in a configured baseUrl). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;

export function redact(text: string): string {
  if (!anyMatch.test(text)) return text;
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
  return out
    .replace(KEY_SHAPES, (m) => (m.startsWith('Bearer') ? 'Bearer [redacted]' : `${m.slice(0, 5)}…[redacted]`))
    .replace(URL_USERINFO, '$1');
}

/** A URL as it may be printed or stored: without `user:password@` (issue 16, item 6). */
export function withoutUserinfo(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url.replace(URL_USERINFO, '$1');
  }
}

export function createLogger(sink: (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void): Logger {
  return {
    debug: (m) => sink('debug', redact(m)),
    info: (m) => sink('info', redact(m)),
    warn: (m) => sink('warn', redact(m)),
    error: (m) => sink('error', redact(m)),
  };
}

/** Logger for headless commands: stderr, so stdout stays clean for --json output. */
export function stderrLogger(verbose = !!process.env.SWITCHYARD_DEBUG): Logger {
  return createLogger((level, msg) => {
    if (level === 'debug' && !verbose) return;
    process.stderr.write(`[${level}] ${msg}\n`);
  });
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
