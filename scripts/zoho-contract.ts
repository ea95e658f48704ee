// `npm run zoho:contract`: re-derives tools/zoho-sandbox/contract/books-contract.json from Zoho's
// OpenAPI documents (../shared/reference/zoho-books-openapi, or ZOHO_OPENAPI_DIR).
import fs from "node:fs";
import { CONTRACT_FILE, deriveFromFiles, OPENAPI_DIR, openApiPresent, serialise } from "@tools/zoho-sandbox/contract/source";

if (!openApiPresent()) {
  console.error(`Zoho's OpenAPI documents are not in ${OPENAPI_DIR} (set ZOHO_OPENAPI_DIR).`);
  process.exit(1);
}
const contract = deriveFromFiles();
const text = serialise(contract);
const before = fs.existsSync(CONTRACT_FILE) ? fs.readFileSync(CONTRACT_FILE, "utf8") : "";
fs.writeFileSync(CONTRACT_FILE, text);
console.log(`${before === text ? "Unchanged" : "Wrote"} ${CONTRACT_FILE}: ${contract.operations.map((o) => `${o.method} ${o.path} (${o.operationId})`).join(", ")}`);
