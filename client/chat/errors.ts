// A chat error as a person needs it: what happened, what it means here, and the next step as buttons.
// Pure (no `vscode`): the codes are the pipeline's (server/pipeline/failure.ts, routing.ts, ledger/budget.ts)
// and the gateways' own (NemoRouter's typed errors).
import type { ChatError } from '../../server/protocol/messages';
import { formatUsd } from './format';
import type { ErrorAction, ErrorView } from './protocol';

const RATE = new Set(['rate_limit_exceeded', 'tpm_limit_exceeded', 'rpm_limit_exceeded', 'too_many_requests']);
const UNREACHABLE = new Set(['unreachable', 'timeout', 'gateway_timeout', 'bad_gateway', 'service_unavailable', 'request_timeout', 'no_gateway', 'credit_check_failed']);
const UNKNOWN_MODEL = new Set(['unknown_model', 'model_not_found', 'model_not_served', 'no_model_fits']);
const KEY = new Set(['invalid_api_key', 'unauthorized', 'permission_denied', 'missing_api_key']);

const retry: ErrorAction = { kind: 'retry', label: 'Retry' };
const logs: ErrorAction = { kind: 'showLogs', label: 'Show Logs' };
const pick: ErrorAction = { kind: 'pickModel', label: 'Pick another model' };

/** "Blocked by guardrail secret-detection: …" → "secret-detection". */
export function guardrailName(message: string): string | undefined {
  return /guardrail[\s:"'`]+([A-Za-z0-9_.-]+)/i.exec(message)?.[1];
}

type Kind = 'credits' | 'budget' | 'rate' | 'guardrail' | 'unknownModel' | 'key' | 'unreachable' | 'cut' | 'other';

function kindOf(e: ChatError): Kind {
  if (e.code === 'budget_exceeded') return 'budget';
  if (e.code === 'insufficient_credits' || e.status === 402) return 'credits';
  if (e.code === 'guardrail_blocked' || /guardrail/i.test(e.code)) return 'guardrail';
  if (RATE.has(e.code) || e.status === 429) return 'rate';
  if (UNKNOWN_MODEL.has(e.code)) return 'unknownModel';
  if (KEY.has(e.code) || e.status === 401 || e.status === 403) return 'key';
  if (UNREACHABLE.has(e.code) || e.status === 502 || e.status === 503 || e.status === 504) return 'unreachable';
  if (e.code === 'stream_cut') return 'cut';
  return 'other';
}

/** `balanceUsd` overrides the error's own when the client learned it elsewhere (the status request). */
export function describeChatError(e: ChatError, balanceUsd = e.balanceUsd): ErrorView {
  const base = { code: e.code, status: e.status, gateway: e.gateway, detail: e.message };
  const gw = e.gateway ? `"${e.gateway}"` : 'the gateway';
  switch (kindOf(e)) {
    case 'credits':
      return {
        ...base,
        title: 'Insufficient credits',
        detail: `${e.message}${balanceUsd !== undefined ? ` (balance on ${gw}: ${formatUsd(balanceUsd)})` : ''}`,
        hint: `The account on ${gw} cannot pay for this request. Top up the credits there, or pick a cheaper or free model.`,
        actions: [pick, retry],
      };
    case 'budget':
      return {
        ...base,
        title: 'Budget exceeded',
        hint: 'Your own Switchyard budget stopped this request before it was sent. Raise the limit in the settings, or override it until the language server restarts.',
        actions: [
          { kind: 'openSettings', label: 'Raise the Limit', query: 'switchyard.budget' },
          { kind: 'overrideBudget', label: 'Override Until Restart' },
        ],
      };
    case 'rate':
      return {
        ...base,
        title: 'Rate limited',
        hint: `${gw} is limiting requests; Switchyard already retried with backoff. Wait a moment and retry, or pick a model another gateway serves.`,
        actions: [retry, pick],
      };
    case 'guardrail': {
      const name = guardrailName(e.message);
      return {
        ...base,
        title: name ? `Blocked by the guardrail "${name}"` : 'Blocked by a guardrail',
        hint: 'The gateway refused the prompt as it is. Remove the flagged content (keys, private keys, personal data) and send again.',
        actions: [{ kind: 'editLast', label: 'Edit the Prompt' }],
      };
    }
    case 'unknownModel':
      return {
        ...base,
        title: 'Unknown model',
        hint: e.suggestions?.length ? 'Did you mean one of these?' : 'No configured gateway serves this model. Pick one from the list.',
        actions: [...(e.suggestions ?? []).slice(0, 5).map((m): ErrorAction => ({ kind: 'useModel', label: `Use ${m}`, model: m })), pick],
      };
    case 'key':
      return {
        ...base,
        title: 'API key rejected',
        hint: `${gw} did not accept the key. Set a valid key (kept in VS Code's secret storage).`,
        actions: [{ kind: 'setApiKey', label: 'Set API Key', gateway: e.gateway }, retry],
      };
    case 'unreachable':
      return {
        ...base,
        title: 'Gateway unreachable',
        hint: 'No configured gateway answered, after retries and failover. Check the base URL in the settings and your network, then retry.',
        actions: [retry, { kind: 'openSettings', label: 'Open Gateway Settings', query: 'switchyard.gateways' }, logs],
      };
    case 'cut':
      return { ...base, title: 'The answer was cut off', hint: 'The connection broke mid-answer; the text so far is kept. Retry to ask again.', actions: [retry] };
    default:
      return {
        ...base,
        title: `Request failed${e.status ? ` (${e.status})` : ''}`,
        hint: 'The logs have the details. Retry, or pick another model.',
        actions: [retry, pick, logs],
      };
  }
}

/** The language server is not running or the request itself failed in transport. */
export function transportError(message: string): ErrorView {
  return {
    code: 'server_unavailable',
    title: 'Switchyard language server unavailable',
    detail: message,
    hint: 'The request never reached a gateway. Restart the language server, or look at the logs.',
    actions: [retry, logs],
  };
}
