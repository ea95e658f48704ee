import { describe, expect, it } from "vitest";
import { contactWebUrl, isTrustedAccountsServer, regionFor } from "./regions";

describe("Zoho data centres", () => {
  it("maps each accounts server to its API and Books hosts", () => {
    expect(regionFor("https://accounts.zoho.eu")).toMatchObject({ dc: "eu", apiUrl: "https://www.zohoapis.eu" });
    expect(regionFor("https://accounts.zoho.com.au").booksWebUrl).toBe("https://books.zoho.com.au");
    expect(regionFor("https://accounts.zoho.in").apiUrl).toBe("https://www.zohoapis.in");
    expect(regionFor("https://accounts.zoho.uk")).toMatchObject({ dc: "uk", apiUrl: "https://www.zohoapis.uk", booksWebUrl: "https://books.zoho.uk" });
  });
  it("links a contact in the right data centre's web app", () => {
    expect(contactWebUrl("https://accounts.zoho.eu", "123", "456")).toBe("https://books.zoho.eu/app/123#/contacts/456");
  });
  it("treats the local sandbox as serving every role itself", () => {
    expect(regionFor("http://127.0.0.1:8788")).toMatchObject({ dc: "local", apiUrl: "http://127.0.0.1:8788" });
  });
  it("accepts only Zoho's accounts servers or the configured one on the OAuth redirect", () => {
    expect(isTrustedAccountsServer("https://accounts.zoho.in", "https://accounts.zoho.com")).toBe(true);
    expect(isTrustedAccountsServer("https://accounts.zoho.uk", "https://accounts.zoho.com")).toBe(true);
    expect(isTrustedAccountsServer("https://evil.example", "https://accounts.zoho.com")).toBe(false);
    expect(isTrustedAccountsServer("not a url", "https://accounts.zoho.com")).toBe(false);
  });
});
