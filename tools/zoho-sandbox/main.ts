// `npm run sandbox -- --port 8788`: the Zoho sandbox on its own.
import { startZohoSandbox } from "./server";

const argv = process.argv.slice(2);
const port = argv.includes("--port") ? Number(argv[argv.indexOf("--port") + 1]) : 8788;
const seed = argv.includes("--empty") ? "empty" : "default";
const sandbox = await startZohoSandbox({ port, seed, log: (l) => console.log(l) });
console.log(`Zoho sandbox on ${sandbox.url} (control API: ${sandbox.url}/__control/state)`);
const stop = () => void sandbox.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
