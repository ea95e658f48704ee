// When a customer's email changes, does their Zoho link still hold? (issue 19). Pure. A link proven by the
// verified email holds only while the contact's email (our local copy from link time, no Zoho call) is the
// customer's address; otherwise it goes to review, keeping the contact and its basis: the history it
// opened was proven and stays visible, an admin decides what the link is now. Links we created for the
// customer, and admins' links, were not proven by the address and hold. Changing back restores the link.
import type { SyncStatus } from "./vocabulary";
import type { LinkBasis, ReviewReason } from "./vocabulary";

export type RevetInput = {
  zohoContactId: string | null;
  zohoContactName: string | null;
  zohoContactEmail: string | null;
  zohoLinkBasis: LinkBasis | null;
  zohoSyncStatus: SyncStatus;
  zohoReviewReason: ReviewReason | null;
};

export type RevetVerdict =
  | { kind: "none" }
  | { kind: "holds"; why: "same_address" | "created" | "admin" }
  | { kind: "review"; text: string }
  /** The customer changed back to the contact's address: the link is as it was before the change. */
  | { kind: "restore" };

const norm = (email: string | null | undefined) => (email ?? "").trim().toLowerCase();

export function revetAfterEmailChange(link: RevetInput, newEmail: string): RevetVerdict {
  if (!link.zohoContactId || !link.zohoLinkBasis) return { kind: "none" };
  if (link.zohoLinkBasis === "created" || link.zohoLinkBasis === "admin") return { kind: "holds", why: link.zohoLinkBasis };
  if (norm(link.zohoContactEmail) === norm(newEmail))
    return link.zohoSyncStatus === "skipped" && link.zohoReviewReason === "email_changed" ? { kind: "restore" } : { kind: "holds", why: "same_address" };
  if (link.zohoSyncStatus === "skipped" && link.zohoReviewReason === "email_changed") return { kind: "none" };
  return {
    kind: "review",
    text: `The customer changed their email; the linked Zoho contact ${link.zohoContactName ?? link.zohoContactId} has another address. The order history proven before stays visible: confirm the link or unlink it`,
  };
}
