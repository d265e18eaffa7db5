import { describe, expect, it } from 'vitest';
import {
  type PatternEvidence,
  shouldUseMemoryPattern,
  successRate,
  userConfidence,
} from '../../src/memory/shouldUseMemoryPattern.ts';

const FP = 'fingerprint-1';
const good: PatternEvidence = { similarity: 0.95, successRate: 1, userConfidence: 1, schemaFingerprint: FP };

describe('shouldUseMemoryPattern', () => {
  it('uses a similar, reliable, trusted pattern on the same schema', () => {
    expect(shouldUseMemoryPattern(good, FP)).toBe(true);
  });

  it('needs similarity strictly above 0.85', () => {
    expect(shouldUseMemoryPattern({ ...good, similarity: 0.85 }, FP)).toBe(false);
    expect(shouldUseMemoryPattern({ ...good, similarity: 0.8501 }, FP)).toBe(true);
  });

  it('needs a success rate strictly above 0.9', () => {
    expect(shouldUseMemoryPattern({ ...good, successRate: 0.9 }, FP)).toBe(false);
    expect(shouldUseMemoryPattern({ ...good, successRate: 0.9001 }, FP)).toBe(true);
  });

  it('needs the asker’s confidence strictly above 0.8', () => {
    expect(shouldUseMemoryPattern({ ...good, userConfidence: 0.8 }, FP)).toBe(false);
    expect(shouldUseMemoryPattern({ ...good, userConfidence: 0.8001 }, FP)).toBe(true);
  });

  it('never uses a teammate’s pattern the asker has not used', () => {
    expect(shouldUseMemoryPattern({ ...good, userConfidence: null }, FP)).toBe(false);
  });

  it('never uses a pattern built on another schema', () => {
    expect(shouldUseMemoryPattern(good, 'fingerprint-2')).toBe(false);
  });
});

describe('successRate', () => {
  it('is successes over runs, without smoothing', () => {
    expect(successRate(1, 0)).toBe(1);
    expect(successRate(9, 1)).toBe(0.9);
    expect(successRate(19, 1)).toBe(0.95);
  });

  it('is 0 for a pattern that never ran', () => {
    expect(successRate(0, 0)).toBe(0);
  });
});

describe('userConfidence', () => {
  it('is 1 while the person never gave a 👎', () => {
    expect(userConfidence(0, 0)).toBe(1);
    expect(userConfidence(5, 0)).toBe(1);
  });

  it('drops below the bar after one 👎 and needs eight 👍 to pass it again', () => {
    expect(userConfidence(0, 1)).toBeCloseTo(1 / 3);
    expect(userConfidence(7, 1)).toBeLessThanOrEqual(0.8);
    expect(userConfidence(8, 1)).toBeGreaterThan(0.8);
  });
});
