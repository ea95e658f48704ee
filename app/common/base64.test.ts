import { describe, expect, it } from "vitest";
import { fromBase64, randomBase64Url, toBase64, toBase64Url } from "./base64";

describe("base64", () => {
  it("round-trips bytes in the standard alphabet, with padding", () => {
    const bytes = new Uint8Array([0, 251, 255, 62, 63, 1]);
    expect(toBase64(bytes)).toBe("APv/Pj8B");
    expect([...fromBase64(toBase64(bytes))]).toEqual([...bytes]);
    expect(toBase64(new Uint8Array([1]))).toBe("AQ==");
  });
  it("writes tokens URL-safe, without padding", () => {
    expect(toBase64Url(new Uint8Array([0, 251, 255, 62, 63, 1]))).toBe("APv_Pj8B");
    expect(toBase64Url(new Uint8Array([1]))).toBe("AQ");
    expect(randomBase64Url(32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
  it("refuses text that is not base64", () => {
    expect(() => fromBase64("not base64!")).toThrow();
  });
});
