// Before creating a contact, do we look for one with this email first? Pure, so the rule reads as a table.
// Looking costs one more call per new customer; it is skipped only under budget pressure, and then a
// low-priority check_duplicate job looks later (when budget is back) and flags a duplicate for an admin.
import type { SyncAction } from "./vocabulary";

/** Look first while more than this share of today's sync budget is left. */
export const LOOKUP_ROOM_SHARE = 0.5;

export type CreateContext = { action: SyncAction; createEverAttempted: boolean; remainingToday: number; dailyCap: number };

export type CreatePlan = "look_first" | "create_then_check";

export function planCreate(c: CreateContext): CreatePlan {
  // A create may already have happened (lost reply, crash, admin retry/reset, unlink): always look.
  if (c.createEverAttempted) return "look_first";
  // Backfill: older customers are the likeliest to exist in Zoho already.
  if (c.action === "match_or_create") return "look_first";
  return c.remainingToday > c.dailyCap * LOOKUP_ROOM_SHARE ? "look_first" : "create_then_check";
}
