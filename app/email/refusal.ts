// Does a relay's answer say "this address will never take mail" (give up, tell the customer), or is it a
// problem worth retrying? Pure, read from worker-mailer's error text, which carries the SMTP reply
// ("Invalid RCPT TO: <a@b.c> 550 5.1.1 <a@b.c>: Recipient address rejected: User unknown").
//
// Only a permanent (5xx) reply to RCPT TO is about the address. Within those, enhanced codes 5.7.x are policy
// (relaying denied, our sender not authorised: a problem with OUR configuration, the same for every address),
// and so are replies naming relaying or authentication: those are not the customer's address and stay retried.
// 4xx replies (greylisting, mailbox busy) are temporary by definition.

export type SendFailure = { kind: "address_refused"; reply: string } | { kind: "retry" };

const RCPT_REPLY = /RCPT TO:\s*<[^>]*>[^\d]*?\s(5\d\d)([ -].*)?$/is;
const POLICY = /\b5\.7\.\d+\b|relay(ing)? (access )?(denied|not permitted)|authenticat/i;

export function classifySendFailure(message: string): SendFailure {
  const match = message.match(RCPT_REPLY);
  if (!match) return { kind: "retry" };
  const reply = `${match[1]}${match[2] ?? ""}`.trim();
  if (POLICY.test(reply)) return { kind: "retry" };
  return { kind: "address_refused", reply: reply.slice(0, 200) };
}
