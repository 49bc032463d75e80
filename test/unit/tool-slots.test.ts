// Which call a streamed tool-call delta belongs to, with and without OpenAI's `index`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ToolCallSlots, withToolIndexes } from '../../server/pipeline/toolSlots';

const slotsOf = (deltas: Record<string, unknown>[]) => {
  const s = new ToolCallSlots();
  return deltas.map((d) => s.slot(d));
};

test('an explicit index always wins, whatever else the delta carries', () => {
  assert.deepEqual(slotsOf([{ index: 0, id: 'a', function: { name: 'f' } }, { index: 0 }, { index: 1, id: 'b', function: { name: 'g' } }, { index: 0, function: { arguments: 'x' } }]), [0, 0, 1, 0]);
});

test('without index: a new id opens the next call, pieces without id or name continue the last one', () => {
  assert.deepEqual(
    slotsOf([
      { id: 'a', function: { name: 'f', arguments: '' } },
      { function: { arguments: '{"x"' } },
      { function: { arguments: ':1}' } },
      { id: 'b', function: { name: 'g', arguments: '{}' } },
      { function: { arguments: '' } },
    ]),
    [0, 0, 0, 1, 1],
  );
});

test('without index: an id seen before goes back to its call; a second name without an id is a new call', () => {
  assert.deepEqual(slotsOf([{ id: 'a', function: { name: 'f' } }, { id: 'b', function: { name: 'g' } }, { id: 'a', function: { arguments: '1' } }]), [0, 1, 0]);
  assert.deepEqual(slotsOf([{ function: { name: 'f' } }, { function: { arguments: '{}' } }, { function: { name: 'g' } }]), [0, 0, 1]);
  // An id first and the name in the next delta: still one call.
  assert.deepEqual(slotsOf([{ id: 'a' }, { function: { name: 'f' } }, { function: { arguments: '{}' } }]), [0, 0, 0]);
});

test('a stream that mixes both never reuses an explicit slot for a new call', () => {
  assert.deepEqual(slotsOf([{ index: 0, id: 'a', function: { name: 'f' } }, { id: 'b', function: { name: 'g' } }, { function: { arguments: '{}' } }]), [0, 1, 1]);
  // Negative or fractional indexes are not indexes.
  assert.deepEqual(slotsOf([{ index: -1, id: 'a' }, { index: 0.5, id: 'b' }]), [0, 1]);
});

test('withToolIndexes fills missing indexes per choice and leaves complete chunks alone', () => {
  const slots = new Map();
  const chunk = (index: number, calls: Record<string, unknown>[]) => ({ id: 'c', choices: [{ index, delta: { tool_calls: calls } }] });
  const a = withToolIndexes(chunk(0, [{ id: 'a', function: { name: 'f', arguments: '' } }]), slots) as ReturnType<typeof chunk>;
  assert.equal(a.choices[0].delta.tool_calls[0].index, 0);
  assert.equal(a.id, 'c');
  const b = withToolIndexes(chunk(1, [{ id: 'x', function: { name: 'h' } }]), slots) as ReturnType<typeof chunk>;
  assert.equal(b.choices[0].delta.tool_calls[0].index, 0, 'choice 1 counts its own calls');
  const c = withToolIndexes(chunk(0, [{ id: 'b', function: { name: 'g' } }, { function: { arguments: '{}' } }]), slots) as ReturnType<typeof chunk>;
  assert.deepEqual(c.choices[0].delta.tool_calls.map((t) => t.index), [1, 1]);
  assert.equal(withToolIndexes(chunk(0, [{ index: 2, function: { arguments: '{}' } }]), slots), undefined);
  assert.equal(withToolIndexes({ choices: [{ index: 0, delta: { content: 'hi' } }] }, slots), undefined);
  assert.equal(withToolIndexes({ usage: {} }, slots), undefined);
});
