import { matchesTopic } from './topic-pattern';

describe('matchesTopic', () => {
  it.each([
    ['enrollment.created', 'enrollment.created', true],
    ['enrollment.created', 'enrollment.deleted', false],
    ['enrollment.*', 'enrollment.created', true],
    ['enrollment.*', 'payment.succeeded', false],
    ['enrollment.*', 'enrollment', false],
    ['enrollment.*', 'enrollment.created.late', false],
    ['*.succeeded', 'payment.succeeded', true],
    ['#', 'anything.at.all', true],
    ['#', 'one', true],
    ['payment.#', 'payment', true],
    ['payment.#', 'payment.refund.issued', true],
    ['payment.#', 'payments.refund', false],
    ['#.issued', 'payment.refund.issued', true],
    ['#.issued', 'issued', true],
    ['a.#.z', 'a.z', true],
    ['a.#.z', 'a.b.c.z', true],
    ['a.#.z', 'a.b.c', false],
    ['a.*.#', 'a', false],
    ['a.*.#', 'a.b', true],
    ['#.#', 'a.b', true],
  ])('%s against %s is %s', (pattern, key, expected) => {
    expect(matchesTopic(pattern, key)).toBe(expected);
  });
});
