import { describe, expect, it } from "vitest";
import { bootstrapRatio, quantile } from "./registration";

describe("registration bench statistics", () => {
  it("takes nearest-rank quantiles", () => {
    expect(quantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(quantile(Array.from({ length: 200 }, (_, i) => i + 1), 0.95)).toBe(190);
  });
  it("gives a bootstrap interval around the p95 ratio that is narrow for equal samples and contains the true ratio", () => {
    const base = Array.from({ length: 200 }, (_, i) => 30 + (i % 20));
    const [lo, hi] = bootstrapRatio(base, base, 0.95);
    expect(lo).toBeLessThanOrEqual(1);
    expect(hi).toBeGreaterThanOrEqual(1);
    const slower = base.map((v) => v * 1.3);
    const [lo2, hi2] = bootstrapRatio(slower, base, 0.95);
    expect(lo2).toBeGreaterThan(1.1);
    expect(hi2).toBeLessThan(1.5);
    expect(bootstrapRatio(slower, base, 0.95)).toEqual([lo2, hi2]); // seeded: same samples, same interval
  });
});
