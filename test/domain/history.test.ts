import { canonicalJson, GENESIS_HASH, hashEvent, verifyCaseChain, type ChainedEvent } from '../../domain/history';

describe('canonical JSON', () => {
  test.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: { y: [3, { d: 1, c: null }] }, a: '中文' }, '{"a":"中文","z":{"y":[3,{"c":null,"d":1}]}}'],
    [{ a: undefined, b: 1 }, '{"b":1}'],
    [[1.5, -0, 1e21, 'x\n"'], '[1.5,0,1e+21,"x\\n\\""]'],
  ])('%j → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  test('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/non-finite/);
  });
});

function chain(n: number): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const body = {
      caseId: 'c-1',
      seq,
      at: new Date(Date.UTC(2026, 0, seq)).toISOString(),
      actorId: seq % 2 ? 'u-1' : null,
      action: `a${seq}`,
      fromStatus: seq === 1 ? null : 'in_review',
      toStatus: 'in_review',
      stage: 's',
      comment: null,
      data: { seq },
      prevHash,
    };
    const event = { ...body, hash: hashEvent(body) };
    events.push(event);
    prevHash = event.hash;
  }
  return events;
}

describe('hash chain verification', () => {
  test('an intact chain verifies', () => {
    const events = chain(5);
    expect(verifyCaseChain('c-1', events, { lastSeq: 5, lastHash: events[4]?.hash })).toEqual({ ok: true, checked: 5 });
  });

  test.each([
    [
      'an edited comment',
      (e: ChainedEvent[]) => {
        e[2] = { ...e[2]!, comment: 'edited' };
      },
      3,
      'hash-mismatch',
    ],
    [
      'edited data',
      (e: ChainedEvent[]) => {
        e[0] = { ...e[0]!, data: { seq: 99 } };
      },
      1,
      'hash-mismatch',
    ],
    [
      'a rehashed edit',
      (e: ChainedEvent[]) => {
        const { hash: _h, ...body } = { ...e[1]!, actorId: 'intruder' };
        e[1] = { ...body, hash: hashEvent(body) };
      },
      3,
      'prev-hash-mismatch',
    ],
    [
      'a deleted event',
      (e: ChainedEvent[]) => {
        e.splice(3, 1);
      },
      4,
      'sequence-gap',
    ],
    [
      'a deleted tail',
      (e: ChainedEvent[]) => {
        e.pop();
      },
      5,
      'missing-tail',
    ],
  ])('%s is found at the right sequence', (_name, tamper, seq, reason) => {
    const events = chain(5);
    const lastHash = events[4]?.hash;
    tamper(events);
    const result = verifyCaseChain('c-1', events, { lastSeq: 5, lastHash });
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toEqual({ caseId: 'c-1', seq, reason });
  });
});
