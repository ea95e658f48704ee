// Zoho data centres: the accounts server a connection was made on decides the API and web hosts
// (tokens are region-bound). Source: docs/zoho-facts.md, "Data centres".
const REGIONS = [
  { dc: "us", accounts: "accounts.zoho.com", api: "www.zohoapis.com", books: "books.zoho.com" },
  { dc: "eu", accounts: "accounts.zoho.eu", api: "www.zohoapis.eu", books: "books.zoho.eu" },
  { dc: "uk", accounts: "accounts.zoho.uk", api: "www.zohoapis.uk", books: "books.zoho.uk" },
  { dc: "in", accounts: "accounts.zoho.in", api: "www.zohoapis.in", books: "books.zoho.in" },
  { dc: "au", accounts: "accounts.zoho.com.au", api: "www.zohoapis.com.au", books: "books.zoho.com.au" },
  { dc: "jp", accounts: "accounts.zoho.jp", api: "www.zohoapis.jp", books: "books.zoho.jp" },
  { dc: "ca", accounts: "accounts.zohocloud.ca", api: "www.zohoapis.ca", books: "books.zohocloud.ca" },
  { dc: "cn", accounts: "accounts.zoho.com.cn", api: "www.zohoapis.com.cn", books: "books.zoho.com.cn" },
  { dc: "sa", accounts: "accounts.zoho.sa", api: "www.zohoapis.sa", books: "books.zoho.sa" },
] as const;

export type Region = { dc: string; accountsUrl: string; apiUrl: string; booksWebUrl: string };

/** The region of an accounts server; anything else (the local sandbox) serves every role itself. */
export function regionFor(accountsServer: string): Region {
  const url = new URL(accountsServer);
  const known = REGIONS.find((r) => r.accounts === url.host);
  if (known) {
    return {
      dc: known.dc,
      accountsUrl: `https://${known.accounts}`,
      apiUrl: `https://${known.api}`,
      booksWebUrl: `https://${known.books}`,
    };
  }
  return { dc: "local", accountsUrl: url.origin, apiUrl: url.origin, booksWebUrl: `${url.origin}/books` };
}

/** Where an admin opens a contact in the Zoho Books web app. */
export function contactWebUrl(accountsServer: string, organizationId: string, contactId: string) {
  return `${regionFor(accountsServer).booksWebUrl}/app/${encodeURIComponent(organizationId)}#/contacts/${encodeURIComponent(contactId)}`;
}

/** Zoho redirects back with `accounts-server`; only accept a known Zoho host (or the configured one). */
export function isTrustedAccountsServer(candidate: string, configured: string) {
  try {
    const host = new URL(candidate).host;
    return host === new URL(configured).host || REGIONS.some((r) => r.accounts === host);
  } catch {
    return false;
  }
}
