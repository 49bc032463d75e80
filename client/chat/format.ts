// What a person reads about an answer and a conversation: the line under each answer (served model,
// gateway, tokens, cost, latency), the conversation's total, picker rows and the send estimate.
// Pure: used by the webview bundle, the Markdown export and the unit tests alike.
import { formatCacheSavings, formatTokens, formatUsd } from '../../server/protocol/present';
import type { AnswerMeta, AssistantMessage, Conversation, EstimateView, ModelOption, ModelRef } from './protocol';

export { formatUsd, formatTokens };

/** `$0.000123` exact (the gateway's own figure or tokens × catalog price), `≈$0.000123` estimated, `cost unknown`. */
export function formatCost(meta: Pick<AnswerMeta, 'costUsd' | 'costSource'>): string {
  if (meta.costUsd === undefined || meta.costSource === 'unknown') return 'cost unknown';
  return `${meta.costSource === 'estimated' ? '≈' : ''}${formatUsd(meta.costUsd)}`;
}

/** A short word on where the cost comes from, for tooltips and screen readers. */
export function costSourceText(source: AnswerMeta['costSource']): string {
  switch (source) {
    case 'gateway':
      return 'exact, reported by the gateway';
    case 'computed':
      return 'computed from tokens × catalog price';
    case 'estimated':
      return 'estimated from the embedded price table';
    default:
      return 'the gateway reported no cost and no price is known';
  }
}

export function formatLatency(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return undefined;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The parts of the line under an answer, in reading order. */
export function metaParts(msg: Pick<AssistantMessage, 'meta' | 'model' | 'status'>): string[] {
  const m = msg.meta ?? {};
  const parts: string[] = [];
  parts.push(m.servedModel || msg.model.model);
  if (m.gateway) parts.push(m.gateway);
  if (m.inputTokens !== undefined || m.outputTokens !== undefined) {
    const cached = m.cachedInputTokens ? ` (${m.cachedInputTokens} cached)` : '';
    parts.push(`${m.inputTokens ?? '?'} in${cached} / ${m.outputTokens ?? '?'} out tokens`);
  }
  if (msg.status !== 'streaming' && (m.costSource || m.costUsd !== undefined)) {
    parts.push(formatCost(m));
    if (m.cacheSavingsUsd) parts.push(formatCacheSavings(m.cacheSavingsUsd));
  }
  const latency = formatLatency(m.latencyMs);
  if (latency) parts.push(latency);
  if (msg.status === 'stopped') parts.push('stopped');
  if (m.finishReason === 'length') parts.push('cut at max tokens');
  return parts;
}

export function modelRefLabel(ref: ModelRef): string {
  const name = ref.label && ref.label !== ref.model ? `${ref.label} (${ref.model})` : ref.model;
  return ref.gateway ? `${name} via ${ref.gateway}` : name;
}

export interface ConversationTotal {
  usd: number;
  answers: number;
  /** Answers whose cost is unknown (not counted in usd): the total is then a lower bound. */
  unknown: number;
  estimated: boolean;
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from prompt caches, and what caching saved, over the answers that said. */
  cachedInputTokens: number;
  cacheSavingsUsd: number;
}

export function conversationTotal(conv: Pick<Conversation, 'messages'>): ConversationTotal {
  const t: ConversationTotal = { usd: 0, answers: 0, unknown: 0, estimated: false, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheSavingsUsd: 0 };
  for (const msg of conv.messages) {
    if (msg.role !== 'assistant' || msg.status === 'streaming' || !msg.meta) continue;
    t.answers++;
    t.inputTokens += msg.meta.inputTokens ?? 0;
    t.outputTokens += msg.meta.outputTokens ?? 0;
    t.cachedInputTokens += msg.meta.cachedInputTokens ?? 0;
    t.cacheSavingsUsd += msg.meta.cacheSavingsUsd ?? 0;
    if (msg.meta.costUsd === undefined || msg.meta.costSource === 'unknown') t.unknown++;
    else {
      t.usd += msg.meta.costUsd;
      if (msg.meta.costSource === 'estimated') t.estimated = true;
    }
  }
  return t;
}

export function formatTotal(t: ConversationTotal): string {
  if (t.answers === 0) return 'No answers yet';
  const usd = `${t.estimated ? '≈' : ''}${formatUsd(t.usd)}${t.unknown ? ` + ${t.unknown} unknown` : ''}`;
  const cached = t.cachedInputTokens ? ` (${formatTokens(t.cachedInputTokens)} cached)` : '';
  const tokens = `${formatTokens(t.inputTokens)} in${cached} / ${formatTokens(t.outputTokens)} out tokens`;
  const savings = t.cacheSavingsUsd ? ` · ${formatCacheSavings(t.cacheSavingsUsd)}` : '';
  return `Total ${usd} · ${t.answers} answer${t.answers === 1 ? '' : 's'} · ${tokens}${savings}`;
}

/** `$2.50 / $10 per M · 128k context`, what a picker row says after the model's name. */
export function optionDetail(o: ModelOption): string {
  const parts: string[] = [];
  if (o.free || (o.inputPerMTok === 0 && o.outputPerMTok === 0)) parts.push('free');
  else if (o.inputPerMTok !== undefined || o.outputPerMTok !== undefined) {
    const side = (v: number | undefined) => (v === undefined ? '?' : formatUsd(v));
    parts.push(`${o.estimatedPrice ? '≈' : ''}${side(o.inputPerMTok)} / ${side(o.outputPerMTok)} per M`);
  } else parts.push('price unknown');
  if (o.contextLength) parts.push(`${formatTokens(o.contextLength)} context`);
  if (o.deprecated) parts.push('deprecated');
  return parts.join(' · ');
}

/** The line above the prompt once something is attached or typed: tokens, and cost before sending. */
export function formatEstimate(e: EstimateView): string {
  if (e.error) return `Estimate unavailable: ${e.error}`;
  if (e.inputTokens === undefined) return '';
  const parts = [`≈${formatTokens(e.inputTokens)} tokens in`];
  if (e.attachmentTokens) parts.push(`attachments ≈${formatTokens(e.attachmentTokens)}`);
  if (e.inputCostUsd !== undefined) parts.push(`input ≈${formatUsd(e.inputCostUsd)}`);
  if (e.maxCostUsd !== undefined) {
    const out = e.assumedOutputTokens ? ` with ${formatTokens(e.assumedOutputTokens)} out` : '';
    parts.push(`up to ≈${formatUsd(e.maxCostUsd)}${out}`);
  }
  if (e.models > 1) parts.push(`for ${e.models} models`);
  if (e.contextLength && e.inputTokens > e.contextLength) parts.push(`exceeds the ${formatTokens(e.contextLength)} context`);
  return parts.join(' · ');
}
