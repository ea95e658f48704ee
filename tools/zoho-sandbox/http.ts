// Small HTTP plumbing shared by the sandbox's handlers.
export type Req = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  /** Parsed JSON body, or form fields, or null. */
  body: unknown;
  form: URLSearchParams;
};

export type Res = { status: number; body?: unknown; html?: string; headers?: Record<string, string> };

export const json = (status: number, body: unknown, headers?: Record<string, string>): Res => ({ status, body, headers });

/** Zoho Books' error body: `{ code, message }`. */
export const zohoError = (status: number, code: number, message: string): Res => json(status, { code, message });

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
