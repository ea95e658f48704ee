import type { Toast } from "~/auth/toast.server";

export type { Toast };

// A flash message from the last action; role=status so screen readers announce it.
export function ToastMessage({ toast }: { toast: Toast | null }) {
  if (!toast) return null;
  return (
    <div className={`toast toast--${toast.kind}`} role={toast.kind === "error" ? "alert" : "status"}>
      {toast.message}
    </div>
  );
}
