// VS Code Chat messages → the OpenAI chat shape, and the token count VS Code asks for, without VS Code:
// parts are plain objects shaped like LanguageModelTextPart / …ToolCallPart / …ToolResultPart / …DataPart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens, toOpenAiMessages } from '../../client/lm/convert';

const text = (value: string) => ({ value });
const call = (callId: string, name: string, input: object) => ({ callId, name, input });
const result = (callId: string, ...content: unknown[]) => ({ callId, content });
const data = (mimeType: string, bytes: number[]) => ({ mimeType, data: new Uint8Array(bytes) });

test('text, tool calls, tool results and images become OpenAI messages in the order OpenAI requires', () => {
  const out = toOpenAiMessages(
    [
      { role: 3, content: [text('be brief')] },
      { role: 1, content: [text('look at this '), data('image/png', [1, 2, 3]), data('cache_control', [0])] },
      { role: 2, content: [text('checking'), call('c1', 'get_weather', { city: 'Paris' })] },
      { role: 1, content: [result('c1', text('sunny'), data('application/json', [...Buffer.from('{"t":21}')])), text('thanks')] },
    ],
    { imageInput: true },
  );
  assert.deepEqual(out, [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: [{ type: 'text', text: 'look at this ' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AQID' } }] },
    { role: 'assistant', content: 'checking', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: 'sunny{"t":21}' },
    { role: 'user', content: 'thanks' },
  ]);
});

test('a model without image input gets a note instead of the image', () => {
  const out = toOpenAiMessages([{ role: 1, content: [text('what is this?'), data('image/jpeg', [9])] }], { imageInput: false });
  assert.deepEqual(out, [{ role: 'user', content: 'what is this?[an image was attached, but this model does not take images]' }]);
});

test('token counts use the pipeline estimate (~4 characters a token) over everything a message carries', () => {
  assert.equal(countTokens(''), 0);
  assert.equal(countTokens('x'.repeat(400)), 100);
  assert.equal(countTokens({ role: 1, content: [text('x'.repeat(40)), result('c', text('y'.repeat(8)))] }), 12);
});
