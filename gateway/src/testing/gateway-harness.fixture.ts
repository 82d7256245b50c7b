// The gateway as its tests run it: its own main() on a free port, in front of the in-process
// EverythingService and (optionally) the real Tags service, with the development identity so
// tests mint access tokens for the workspaces they own.
import type { RunningService } from "@velaflows/kit";
import { newObjectId } from "@velaflows/kit";
import { main, type RunningGateway } from "../main";
import { startEverythingService, type EverythingObservations } from "./everything-service.fixture";

export interface GatewayHarness {
  gateway: RunningGateway;
  testing: RunningService;
  observed: EverythingObservations;
  /** `fetch` against the gateway. */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<{ status: number; headers: Headers; body: any }>;
  /** A bearer token for a fresh user who holds `permissions` in `workspaceId`. */
  token(workspaceId: string, permissions?: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startGatewayHarness(env: NodeJS.ProcessEnv = {}, upstreams: Record<string, string> = {}): Promise<GatewayHarness> {
  const { service: testing, observed } = await startEverythingService();
  const gateway = await main({
    HOST: "127.0.0.1",
    GATEWAY_PORT: "0",
    GATEWAY_GRPC_PORT: "0",
    GATEWAY_DEV_IDENTITY: "true",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    TESTING_ADDR: testing.grpcAddress,
    RATE_LIMIT_GENERAL: "100000/15s",
    RATE_LIMIT_IP: "100000/15s",
    ...Object.fromEntries(Object.entries(upstreams).map(([name, address]) => [`${name.toUpperCase().replace(/-/g, "_")}_ADDR`, address])),
    ...env,
  });
  return {
    gateway,
    testing,
    observed,
    async request(path, init = {}) {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (json !== undefined) headers.set("content-type", "application/json");
      const response = await fetch(gateway.url + path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body };
    },
    token: (workspaceId, permissions = ["*"]) => gateway.devIdentity!.mintToken({ userId: newObjectId(), workspaceId, permissions }),
    async stop() {
      await gateway.stop();
      await testing.stop();
    },
  };
}
