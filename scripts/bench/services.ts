// Every benchmark's own backing services (Postgres, proxy, sandbox, mail catcher) in a throwaway folder, on
// free ports, plus as many more free ports as the bench needs for its Workers. `stop()` removes it all.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePorts } from "@tools/local-stack/processes";
import { startBackingServices, type Stack } from "@tools/local-stack/stack";

export type BenchServices = { stack: Stack; tmp: string; ports: number[]; stop(): Promise<void> };

export async function startBenchServices(name: string, workerPorts: number): Promise<BenchServices> {
  const [postgres, proxy, sandbox, mailSmtp, mailWeb, ...ports] = await freePorts(5 + workerPorts);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `cangoods-bench-${name}-`));
  fs.chmodSync(tmp, 0o755); // initdb runs as the postgres user when we are root
  const stack = await startBackingServices({
    ports: { postgres, proxy, sandbox, mailSmtp, mailWeb },
    dataDir: path.join(tmp, "pg"),
    persistent: false,
    database: `cangoods_bench_${name}`,
  });
  return {
    stack,
    tmp,
    ports,
    stop: async () => {
      await stack.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
