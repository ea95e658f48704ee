// `npm run sandbox -- --port 8788 [--empty] [--state FILE]`: the Zoho sandbox on its own. With `--state`, its
// state is kept in FILE (loaded at start, saved as it changes and when stopped with Ctrl-C or SIGTERM).
import { startZohoSandbox } from "./server";

const argv = process.argv.slice(2);
const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const port = Number(option("--port") ?? 8788);
const seed = argv.includes("--empty") ? "empty" : "default";
const stateFile = option("--state");
// Zoho's webhook on contact changes, when the portal's address and secret are given (README "Mirror of Zoho").
const hookUrl = process.env.ZOHO_SANDBOX_WEBHOOK_URL;
const hookSecret = process.env.ZOHO_SANDBOX_WEBHOOK_SECRET;
const webhook = hookUrl && hookSecret ? { url: hookUrl, secret: hookSecret } : undefined;
const sandbox = await startZohoSandbox({ port, seed, stateFile, webhook, log: (l) => console.log(l) });
console.log(`Zoho sandbox on ${sandbox.url} (control API: ${sandbox.url}/__control/state)`);
if (stateFile) console.log(`State ${sandbox.restored ? "restored from" : "kept in"} ${stateFile}`);
const stop = () => void sandbox.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
