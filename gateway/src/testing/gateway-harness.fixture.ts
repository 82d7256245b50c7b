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
  /** A fresh member of `workspaceId` (a new workspace by default) holding `permissions` (all by default), calling with its token and workspace. */
  member(permissions?: readonly string[], workspaceId?: string): Promise<GatewayMember>;
  stop(): Promise<void>;
}

/** A member's calls through the gateway: its bearer token and `x-workspace-id` on each. */
export interface GatewayMember {
  workspaceId: string;
  get(path: string): ReturnType<GatewayHarness["request"]>;
  send(method: string, path: string, json?: unknown): ReturnType<GatewayHarness["request"]>;
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
  const harness: GatewayHarness = {
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
    async member(permissions, workspaceId = newObjectId()) {
      const headers = { authorization: `Bearer ${await harness.token(workspaceId, permissions)}`, "x-workspace-id": workspaceId };
      return {
        workspaceId,
        get: (path) => harness.request(path, { headers }),
        send: (method, path, json) => harness.request(path, { method, headers, json }),
      };
    },
    async stop() {
      await gateway.stop();
      await testing.stop();
    },
  };
  return harness;
}
