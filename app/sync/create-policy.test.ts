import { describe, expect, it } from "vitest";
import { LOOKUP_ROOM_SHARE, planCreate, type CreateContext } from "./create-policy";

const base: CreateContext = { action: "create", createEverAttempted: false, remainingToday: 900, dailyCap: 1000 };
const pressure = Math.floor(base.dailyCap * LOOKUP_ROOM_SHARE);

describe("looking before creating a Zoho contact", () => {
  it.each([
    ["a new customer while the budget has room", {}, "look_first"],
    ["a new customer under budget pressure", { remainingToday: pressure }, "create_then_check"],
    ["an admin retry after a create was attempted, even under pressure", { action: "retry", createEverAttempted: true, remainingToday: 1 }, "look_first"],
    ["any later job after an earlier job attempted a create", { createEverAttempted: true, remainingToday: 0 }, "look_first"],
    ["a backfilled customer, even under pressure", { action: "match_or_create", remainingToday: 1 }, "look_first"],
    ["an admin retry of a never-created customer under pressure", { action: "retry", remainingToday: 10 }, "create_then_check"],
  ] as const)("%s: %s", (_name, change, plan) => {
    expect(planCreate({ ...base, ...change })).toBe(plan);
  });
});
