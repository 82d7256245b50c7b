import { join } from "node:path";
import { ensureDemoAccount, type DemoAccount } from "./demo-account";

/** What the launcher needs of the running gateway. */
export interface RunningGatewayInfo {
  /** "http://127.0.0.1:4000" */
  url: string;
  /** A development access token for the development workspace, when the development identity is on. */
  devToken?: string;
  /** The demo account, when the identity services run. */
  demo?: DemoAccount;
  stop(): Promise<void>;
}

/** Starts the gateway with the given environment (the services' `<NAME>_ADDR` included). */
export type GatewayLauncher = (env: NodeJS.ProcessEnv) => Promise<RunningGatewayInfo>;

/** The workspace and user of the development token, stable across restarts. */
export const DEV_WORKSPACE_ID = "6612a1b2c3d4e5f6a7b8c9d0";
export const DEV_USER_ID = "6612a1b2c3d4e5f6a7b8c9d1";

interface GatewayModule {
  main(env: NodeJS.ProcessEnv): Promise<{
    url: string;
    devIdentity?: { mintToken(options: { userId: string; workspaceId: string; ttlSeconds?: number }): Promise<string> };
    stop(): Promise<void>;
  }>;
}

/**
 * Loads `@velaflows/gateway` and starts it. With the Auth and API Tokens services running, the
 * gateway uses them, and the launcher makes sure a demo user, workspace and API token exist (kept
 * in `<dataDir>/../demo-credentials.json`). Without them (e.g. `VELAFLOWS_SERVICES=tags`), the
 * gateway signs development tokens itself and the launcher mints one. The gateway is loaded by
 * name so the launcher does not depend on it at build time.
 */
export function gatewayLauncher(options: { dataDir: string }): GatewayLauncher {
  return async (env) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const gateway = require("@velaflows/gateway") as GatewayModule;
    const identityServices = Boolean(env.AUTH_ADDR && env.API_TOKENS_ADDR);
    const devIdentity = !identityServices && !env.AUTH_JWKS_URL;
    const running = await gateway.main({ ...(devIdentity ? { GATEWAY_DEV_IDENTITY: "true" } : {}), ...env });
    try {
      const devToken = await running.devIdentity?.mintToken({ userId: DEV_USER_ID, workspaceId: DEV_WORKSPACE_ID, ttlSeconds: 7 * 24 * 3600 });
      const demo = identityServices ? await ensureDemoAccount(running.url, join(options.dataDir, "..", "demo-credentials.json")) : undefined;
      return { url: running.url, devToken, demo, stop: () => running.stop() };
    } catch (error) {
      await running.stop();
      throw error;
    }
  };
}
