// Links from mails, used the way a person does: open the page (a GET, which changes nothing), then press one of
// its buttons (a POST with the page's own CSRF field and the token it carries). Also signing in and registering.
import { hiddenField, linkIn, waitForMail } from "@tools/local-stack/mail-inbox";
import { ORIGIN, type Browser } from "./browser";
import { bindings } from "./worker-env";

export const pathOf = (link: string) => link.replace(ORIGIN, "");

export { hiddenField };

/** The newest mail to `to` matching `subject`, and its link starting with `path` (as a path on the Worker). */
export async function linkFromMail(to: string, subject: RegExp, path: string): Promise<string> {
  return pathOf(linkIn(await waitForMail(bindings.TEST_MAIL_INBOX_URL, to, subject), `${ORIGIN}${path}?token=`));
}

/** Opens a mailed link's page and presses the button `intent` on it, as a browser would. */
export async function press(b: Browser, linkPath: string, intent: "confirm" | "not-me" | "undo") {
  const page = await b.get(linkPath);
  if (page.status !== 200) throw new Error(`${linkPath} answered ${page.status}`);
  const html = await page.text();
  return b.post(linkPath, { token: hiddenField(html, "token"), intent }, { csrf: hiddenField(html, "csrf") });
}

/** The registrant opens the confirmation mail's link in `b` (their browser) and presses Confirm. */
export async function confirmFromMail(b: Browser, email: string) {
  return press(b, await linkFromMail(email, /Confirm your email/, "/verify-email"), "confirm");
}

/** The code in a confirmation mail ("ABCD EFGH"). */
export async function codeFromMail(to: string, subject: RegExp): Promise<string> {
  const mail = await waitForMail(bindings.TEST_MAIL_INBOX_URL, to, subject);
  const code = mail.text.match(/: ([A-Z0-9]{4} [A-Z0-9]{4})/)?.[1];
  if (!code) throw new Error(`no code in mail "${mail.subject}"`);
  return code;
}

export async function signInAs(b: Browser, email: string, password: string, redirectTo = "") {
  const res = await b.post("/login", { email, password, redirectTo });
  if (res.status !== 302) throw new Error(`sign-in as ${email} answered ${res.status}`);
  return res;
}

export const REGISTRANT_PASSWORD = "a long password";

/** The four registration steps with plain form posts; returns the final submit's answer. */
export async function registerThroughSteps(
  b: Browser,
  p: { firstName?: string; lastName?: string; email: string; phone?: string; customerType?: "new" | "returning"; delivery?: Record<string, string>; password?: string },
) {
  await b.post("/register", { step: "1", intent: "next", firstName: p.firstName ?? "Lea", lastName: p.lastName ?? "Santos", email: p.email, phone: p.phone ?? "0917 123 4567" });
  await b.post("/register", { step: "2", intent: "next", customerType: p.customerType ?? "new" });
  await b.post("/register", { step: "3", intent: "next", ...(p.delivery ?? { deliveryMethod: "pickup" }) });
  const password = p.password ?? REGISTRANT_PASSWORD;
  return b.post("/register", { step: "4", intent: "next", password, confirmPassword: password });
}
