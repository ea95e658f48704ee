import { describe, expect, it } from "vitest";
import { classifySendFailure } from "./refusal";

describe("a relay's refusal: the address, or something to retry", () => {
  it.each([
    ["Invalid RCPT TO: <nobody@shop.example> 550 5.1.1 <nobody@shop.example>: Recipient address rejected: User unknown", "address_refused"],
    ["Invalid RCPT TO: <x@nowhere.example> 550 5.1.2 Host unknown", "address_refused"],
    ["Invalid RCPT TO: <x@gone.example> 553 mailbox name not allowed", "address_refused"],
    ["Invalid RCPT TO: <x@full.example> 552 5.2.2 Mailbox full", "address_refused"],
    ["Invalid RCPT TO: <x@y.example> NOTIFY=NEVER 551 User not local", "address_refused"],
    // Our own configuration, the same for every address: keep retrying (and the admin sees the failures).
    ["Invalid RCPT TO: <x@y.example> 550 5.7.1 Relaying denied", "retry"],
    ["Invalid RCPT TO: <x@y.example> 554 Relay access denied", "retry"],
    ["Invalid RCPT TO: <x@y.example> 530 5.7.0 Authentication required", "retry"],
    // Temporary by definition.
    ["Invalid RCPT TO: <x@y.example> 450 4.2.0 Greylisted, try again later", "retry"],
    ["Invalid RCPT TO: <x@y.example> 421 Service not available", "retry"],
    // Not about the recipient at all.
    ["Invalid MAIL FROM: <shop@cangoods.example> 550 5.7.1 Sender rejected", "retry"],
    ["Failed send email body: 554 5.6.0 Message rejected as spam", "retry"],
    ["Socket timeout!", "retry"],
  ])("%s → %s", (message, kind) => {
    expect(classifySendFailure(message).kind).toBe(kind);
  });

  it("keeps the relay's reply to show the customer", () => {
    expect(classifySendFailure("Invalid RCPT TO: <a@b.example> 550 5.1.1 User unknown")).toEqual({ kind: "address_refused", reply: "550 5.1.1 User unknown" });
  });
});
