// Reading Zoho's OpenAPI documents from ../shared/reference/zoho-books-openapi (relative to the repo
// root) and deriving the contract from them. Node only (scripts and unit tests).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { deriveContract, USED_OPERATIONS } from "./derive";
import type { Contract } from "./types";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
// ../shared next to the repository (a git worktree one level deeper finds it at ../../shared).
const CANDIDATES = ["../shared/reference/zoho-books-openapi", "../../shared/reference/zoho-books-openapi"];
export const OPENAPI_DIR = process.env.ZOHO_OPENAPI_DIR
  ? path.resolve(root, process.env.ZOHO_OPENAPI_DIR)
  : (CANDIDATES.map((c) => path.resolve(root, c)).find((d) => fs.existsSync(d)) ?? path.resolve(root, CANDIDATES[0]));
export const CONTRACT_FILE = path.join(root, "tools/zoho-sandbox/contract/books-contract.json");

export const openApiPresent = () => USED_OPERATIONS.every(({ file }) => fs.existsSync(path.join(OPENAPI_DIR, file)));

export function deriveFromFiles(dir = OPENAPI_DIR): Contract {
  const files = [...new Set(USED_OPERATIONS.map((o) => o.file))].sort();
  const docs = Object.fromEntries(files.map((f) => [f, parse(fs.readFileSync(path.join(dir, f), "utf8"))]));
  const sources = files.map((file) => ({ file, sha256: createHash("sha256").update(fs.readFileSync(path.join(dir, file))).digest("hex") }));
  return deriveContract(docs, sources);
}

export const serialise = (contract: Contract) => `${JSON.stringify(contract, null, 1)}\n`;
