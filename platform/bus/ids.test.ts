import { compareIds, nextId, normalizeId } from './ids';

describe('stream ids', () => {
  it('compares both parts numerically, not as strings', () => {
    expect(compareIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareIds('10-10', '10-2')).toBeGreaterThan(0);
    expect(compareIds('1700000000000-5', '1700000000000-5')).toBe(0);
    expect(compareIds('5', '5-0')).toBe(0);
    expect(compareIds('18446744073709551615-0', '18446744073709551614-9')).toBeGreaterThan(0);
  });

  it('normalizes ids and rejects anything else', () => {
    expect(normalizeId('42')).toBe('42-0');
    expect(normalizeId('42-7')).toBe('42-7');
    for (const bad of ['', '-', '+', '$', 'abc', '1-2-3', ' 1-2', '1-']) expect(() => normalizeId(bad)).toThrow(TypeError);
  });

  it('assigns ids the way XADD * does', () => {
    expect(nextId('0-0', 1000)).toBe('1000-0');
    expect(nextId('1000-0', 1000)).toBe('1000-1');
    // The clock went back: keep the last millisecond and count up, never go backwards.
    expect(nextId('1000-4', 900)).toBe('1000-5');
  });
});
