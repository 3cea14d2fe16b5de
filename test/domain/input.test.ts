import { inputProblem, MAX_INPUT_DEPTH, safeJson, safeText, textProblem } from '../../domain/input';
import { COMMANDS } from '../../domain/process/commands';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i += 1) value = { a: [value] };
  return value;
};

describe('text PostgreSQL can store', () => {
  test.each([
    ['plain text', '同意推荐', null],
    ['a paired surrogate (an emoji)', '🙏', null],
    ['NUL', 'a\u0000b', 'must not contain the NUL character (U+0000)'],
    ['a lone high surrogate', 'a\ud800b', 'must not contain a lone surrogate (an unpaired half of a UTF-16 pair)'],
    ['a lone high surrogate at the end', 'a\ud83d', 'must not contain a lone surrogate (an unpaired half of a UTF-16 pair)'],
    ['a lone low surrogate', '\udc00a', 'must not contain a lone surrogate (an unpaired half of a UTF-16 pair)'],
    ['two high surrogates', '\ud83d\ud83d\ude4f', 'must not contain a lone surrogate (an unpaired half of a UTF-16 pair)'],
  ])('%s', (_what, text, problem) => {
    expect(textProblem(text)).toBe(problem);
    expect(safeText().safeParse(text).success).toBe(problem === null);
  });
});

describe('the first problem in a value, with its path', () => {
  test.each([
    ['nothing', { a: ['x', 1, null, { b: true }] }, null],
    [
      'a string deep inside',
      { a: ['x', { b: 'y\u0000' }] },
      { path: ['a', 1, 'b'], message: 'must not contain the NUL character (U+0000)' },
    ],
    [
      'a key',
      { 'k\ud800': 1 },
      { path: ['k\ud800'], message: 'has a key that must not contain a lone surrogate (an unpaired half of a UTF-16 pair)' },
    ],
    [
      'the first in document order',
      { a: 'x\u0000', b: 'y\u0000' },
      { path: ['a'], message: 'must not contain the NUL character (U+0000)' },
    ],
    ['as deep as allowed', nested(MAX_INPUT_DEPTH / 2), null],
  ])('%s', (_what, value, problem) => {
    expect(inputProblem(value)).toEqual(problem);
  });

  test('one level deeper than allowed is refused where it goes too deep', () => {
    const problem = inputProblem({ x: nested(MAX_INPUT_DEPTH / 2) });
    expect(problem?.message).toBe('is nested deeper than 32 levels');
    expect(problem?.path).toHaveLength(MAX_INPUT_DEPTH);
    expect(problem?.path.slice(0, 4)).toEqual(['x', 'a', 0, 'a']);
  });

  test('100,000 levels are refused without exhausting the stack, by the walk and by the schemas', () => {
    const deep = nested(100_000);
    expect(inputProblem(deep)?.message).toBe('is nested deeper than 32 levels');
    expect(safeJson().safeParse(deep).success).toBe(false);
    const command = COMMANDS.approve.safeParse({ action: 'approve', actorId: 'u', data: { x: deep } });
    expect(command.error?.issues.map((i) => i.path.slice(0, 2))).toEqual([['data', 'x']]);
  });

  test('every text field of every command refuses NUL', () => {
    expect(COMMANDS.comment.safeParse({ action: 'comment', actorId: 'u', comment: 'a\u0000' }).success).toBe(false);
    expect(COMMANDS.transfer.safeParse({ action: 'transfer', actorId: 'u', toUserId: 'v\u0000' }).success).toBe(false);
    expect(COMMANDS.resubmit.safeParse({ action: 'resubmit', actorId: 'u', payload: { a: ['\ud800'] } }).success).toBe(false);
    expect(COMMANDS.comment.safeParse({ action: 'comment', actorId: 'u', comment: '请尽快办理 🙏' }).success).toBe(true);
  });
});
