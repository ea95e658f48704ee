// The account page's plain words for where the customer's latest edit stands on its way to the shop's accounts
// system (Zoho; app/sync/profile-update.ts). Pure. Never internal error text, never Zoho's values.
import { FIELD_LABEL } from "~/sync/profile-update";
import type { ProfileConflict, ProfileUpdateState } from "~/sync/vocabulary";

export type ZohoUpdateNotice = { state: "sending" | "sent" | "look" | "here"; text: string };

export function zohoUpdateNotice(u: { status: ProfileUpdateState; conflicts: ProfileConflict[] | null; note: string | null; sentAt: string | null }): ZohoUpdateNotice {
  switch (u.status) {
    case "pending":
      return { state: "sending", text: "Saved; sending to our accounts system. This usually takes a few seconds." };
    case "sent":
      return {
        state: "sent",
        text: `Sent to our accounts system${u.sentAt ? ` on ${u.sentAt}` : ""}.${u.note ? " Your delivery address is kept here: the account it is linked to is shared (a company or family account)." : ""}`,
      };
    case "conflict": {
      const fields = (u.conflicts ?? []).map((c) => FIELD_LABEL[c.field].toLowerCase()).join(" and ");
      return {
        state: "look",
        text: `Needs a look: your ${fields || "details"} also changed in our accounts system since you last saved, so we did not overwrite it. Our team checks which is right; there is nothing you need to do.`,
      };
    }
    case "failed":
      return { state: "look", text: "Needs a look: we could not send your latest details to our accounts system. Our team will check; there is nothing you need to do." };
    case "not_sent":
      return { state: "here", text: "Saved here; not sent to our accounts system (your account's link is being checked by our team)." };
  }
}
