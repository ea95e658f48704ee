import type { SyncStatus } from "~/sync/vocabulary";

// The admin wording of the seed's six states: "skipped" is shown as Review (it waits for an admin).
export const STATUS_LABEL: Record<SyncStatus, string> = {
  synced: "Synced",
  pending: "Pending",
  syncing: "Syncing",
  skipped: "Review",
  failed: "Failed",
  manual: "Manual",
};

export function StatusBadge({ status }: { status: SyncStatus }) {
  return <span className={`badge badge--${status}`}>{STATUS_LABEL[status]}</span>;
}
