import { describe, expect, it } from 'vitest';
import { fmtChange, fmtPct } from '../../../web/src/format.js';

describe('fmtChange', () => {
  it('shows a change as a signed percentage', () => {
    expect(fmtChange(0.25, 125)).toBe('+25%');
    expect(fmtChange(-0.5, 5)).toBe('−50%');
    expect(fmtChange(0.004, 1004)).toBe('±0%');
    expect(fmtChange(8.99, 899)).toBe('+899%');
  });

  it('shows ten times the previous count or more as a multiple', () => {
    expect(fmtChange(9, 1000)).toBe('10×');
    expect(fmtChange(107.2, 108_200)).toBe('108×');
    expect(fmtChange(12_345, 1_234_600)).toBe('12,346×');
  });

  it('says "new" when there was nothing before, and a dash when there is nothing at all', () => {
    expect(fmtChange(null, 3)).toBe('new');
    expect(fmtChange(null, 0)).toBe('–');
  });
});

describe('fmtPct', () => {
  it('keeps small shares readable and never rounds one that is there down to zero', () => {
    expect(fmtPct(0.036)).toBe('3.6%');
    expect(fmtPct(0.0005)).toBe('0.05%');
    expect(fmtPct(1 / 20_126)).toBe('<0.01%');
    expect(fmtPct(0)).toBe('0.0%');
    expect(fmtPct(null)).toBe('–');
  });
});
