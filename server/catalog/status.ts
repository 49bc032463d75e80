// A failed catalog call → the gateway's state and one sentence a person can act on.
// "OpenRouter (openrouter): 401 — the API key was rejected. Run “Switchyard: Set API Key”."
import type { GatewayState } from '../protocol/model';
import { GATEWAY_PRESETS, type ResolvedGateway } from '../protocol/settings';
import { HttpError } from '../http/errors';
import { redact } from '../core/log';

export const SET_KEY = 'Run “Switchyard: Set API Key”.';

export function gatewayLabel(g: Pick<ResolvedGateway, 'id' | 'kind'>): string {
  return `${GATEWAY_PRESETS[g.kind].label} (${g.id})`;
}

export function describeFailure(g: ResolvedGateway, e: unknown, hasKey: boolean): { state: GatewayState; message: string } {
  const who = gatewayLabel(g);
  const say = (state: GatewayState, text: string) => ({ state, message: redact(`${who}: ${text}`) });
  if (!(e instanceof HttpError)) return say('error', `the catalog could not be read (${e instanceof Error ? e.message : String(e)}).`);
  const status = e.status ? `${e.status} — ` : '';
  const keyHint = g.apiKeyEnv ? `Set ${g.apiKeyEnv} or run “Switchyard: Set API Key”.` : SET_KEY;
  switch (e.kind) {
    case 'unauthorized':
      return hasKey
        ? say('unauthorized', `${status}the API key was rejected. ${SET_KEY}`)
        : say('unauthorized', `${status}no API key is set. ${keyHint}`);
    case 'forbidden':
      return say('unauthorized', `${status}the API key may not list models${e.code ? ` (${e.code})` : ''}. Check its permissions in the gateway's dashboard, or use another key: ${SET_KEY}`);
    case 'not_found':
      return say('error', `${status}${e.url ?? 'the models endpoint'} does not exist. Check the gateway's baseUrl${g.kind === 'openrouter' ? ' (https://openrouter.ai/api/v1)' : ' (it usually ends in /v1)'}.`);
    case 'rate_limited': {
      const wait = e.retryAfterMs !== undefined ? ` Try again in ${Math.max(1, Math.ceil(e.retryAfterMs / 1000))} s.` : ' Try again in a minute.';
      return say('rate-limited', `${status}rate-limited by the gateway.${wait}`);
    }
    case 'server':
      return say('unreachable', `${status}the gateway is failing right now${tail(e.message)}. Try again later.`);
    case 'network':
      return say('unreachable', `${e.message}. Is the gateway running, and is baseUrl (${g.baseUrl || 'unset'}) right?`);
    case 'timeout':
      return say('unreachable', `${e.message}. The gateway or the network is slow; try again later.`);
    case 'redirects':
      return say('error', `${e.message}. Check the gateway's baseUrl.`);
    case 'too_large':
      return say('malformed', `${e.message}. Check the gateway's baseUrl.`);
    case 'malformed':
      return say('malformed', `${e.message}. Is baseUrl (${g.baseUrl || 'unset'}) the gateway's API?`);
    case 'aborted':
      return say('error', 'the refresh was cancelled.');
    default:
      return say('error', `${status}the gateway refused the request${tail(e.message)}.`);
  }
}

/** The upstream's own words after "HTTP 503 from URL: ", when it said any. */
function tail(message: string): string {
  const i = message.indexOf(': ');
  return i > 0 ? ` (${message.slice(i + 2)})` : '';
}
