import { describe, expect, it } from "vitest";
import { ListQuerySchema, MAX_SEARCH_WORDS, searchPrefixQuery, searchWords } from "./customer-list";

describe("the admin list's search words", () => {
  it("cuts what the admin typed into words the way the index cuts names and emails", () => {
    expect(searchWords("Ana dela-Cruz")).toEqual(["ana", "dela", "cruz"]);
    expect(searchWords("ZEN@SEARCH.example")).toEqual(["zen", "search", "example"]);
    expect(searchWords("  José   Peña ")).toEqual(["josé", "peña"]);
    expect(searchWords("o'brien")).toEqual(["o", "brien"]);
  });

  it("has no words for punctuation alone, so such a search matches nobody instead of everybody", () => {
    expect(searchWords("%")).toEqual([]);
    expect(searchWords("_ \\ ' & | ! :*")).toEqual([]);
    expect(searchWords(undefined)).toEqual([]);
  });

  it("builds a prefix query from letters and digits only (nothing the admin types is tsquery syntax)", () => {
    const words = searchWords("a:*|b & !c 'd' (e)");
    expect(words).toEqual(["a", "b", "c", "d", "e"]);
    expect(searchPrefixQuery(words)).toBe("a:* & b:* & c:* & d:* & e:*");
  });

  it(`uses at most ${MAX_SEARCH_WORDS} words of a long search`, () => {
    const q = ListQuerySchema.parse({ q: "one two three four five six seven eight nine ten" }).q;
    expect(searchWords(q)).toHaveLength(MAX_SEARCH_WORDS);
  });
});
