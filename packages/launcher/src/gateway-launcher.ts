/** What the launcher needs of the running gateway. */
export interface RunningGatewayInfo {
  /** "http://127.0.0.1:4000" */
  url: string;
  /** A development access token for the development workspace, when the development identity is on. */
  devToken?: string;
  stop(): Promise<void>;
}

/** Starts the gateway with the given environment (the services' `<NAME>_ADDR` included). */
export type GatewayLauncher = (env: NodeJS.ProcessEnv) => Promise<RunningGatewayInfo>;

/** The workspace and user of the development token `npm start` prints, stable across restarts. */
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
 * Loads `@velaflows/gateway` and starts it. Without an Auth service to sign tokens (no
 * AUTH_JWKS_URL), the gateway runs with its development identity, and the launcher mints a token
 * for a development workspace so the API can be tried at once. The gateway is loaded by name so
 * the launcher does not depend on it at build time.
 */
export function gatewayLauncher(): GatewayLauncher {
  return async (env) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const gateway = require("@velaflows/gateway") as GatewayModule;
    const devIdentity = !env.AUTH_JWKS_URL;
    const running = await gateway.main({ ...(devIdentity ? { GATEWAY_DEV_IDENTITY: "true" } : {}), ...env });
    const devToken = await running.devIdentity?.mintToken({ userId: DEV_USER_ID, workspaceId: DEV_WORKSPACE_ID, ttlSeconds: 7 * 24 * 3600 });
    return { url: running.url, devToken, stop: () => running.stop() };
  };
}
