import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadServiceManifest, type RunningService, type ServiceManifest } from "@velaflows/kit";

/** A service the launcher can start: its manifest and its `main(env)`. */
export interface LaunchableService {
  manifest: ServiceManifest;
  main: (env: NodeJS.ProcessEnv) => Promise<RunningService>;
}

/**
 * Finds every `services/<name>/service.yaml` and loads the package's `main`, so a new service is
 * started by `npm start` as soon as its folder exists. `only` restricts the set (unknown names throw).
 */
export function discoverServices(servicesDir: string, only: readonly string[]): LaunchableService[] {
  const found = readdirSync(servicesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(servicesDir, entry.name, "service.yaml")))
    .map((entry) => loadServiceManifest(join(servicesDir, entry.name, "service.yaml")))
    .sort((a, b) => a.name.localeCompare(b.name));
  const unknown = only.filter((name) => !found.some((m) => m.name === name));
  if (unknown.length > 0) throw new Error(`VELAFLOWS_SERVICES names unknown services: ${unknown.join(", ")}`);
  return found
    .filter((manifest) => only.length === 0 || only.includes(manifest.name))
    .map((manifest) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require(`@velaflows/${manifest.name}`) as Partial<LaunchableService>;
      if (typeof module.main !== "function") throw new Error(`@velaflows/${manifest.name} does not export main(env)`);
      return { manifest, main: module.main };
    });
}
