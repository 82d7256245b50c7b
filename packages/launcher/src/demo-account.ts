import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** The demo account `npm start` creates once and reuses: a user, their workspace and an API token. */
export interface DemoAccount {
  email: string;
  workspaceId: string;
  apiToken: string;
}

export const DEMO_EMAIL = "demo@velaflows.local";
// Only ever on a developer's own machine, against the embedded database.
const DEMO_PASSWORD = "velaflows-demo-password";

/**
 * Makes sure the demo account exists and returns a working API token for it. The token is kept
 * in `credentialsFile` (next to the embedded database's data, mode 0600) because the platform
 * shows a token only once; a kept token that still works is reused, so restarts do not spend the
 * login rate limit.
 */
export async function ensureDemoAccount(gatewayUrl: string, credentialsFile: string): Promise<DemoAccount> {
  const kept = readKept(credentialsFile);
  if (kept && (await works(gatewayUrl, kept))) return kept;

  let session = await post(gatewayUrl, "/api/v1/auth/login", { email: DEMO_EMAIL, password: DEMO_PASSWORD });
  let workspaceId: string | undefined = session.body?.data?.workspaces?.[0]?._id;
  if (session.status === 401) {
    session = await post(gatewayUrl, "/api/v1/auth/register", { email: DEMO_EMAIL, password: DEMO_PASSWORD, name: "Demo", workspaceName: "Demo workspace" });
    workspaceId = session.body?.data?.workspace?._id;
  }
  const accessToken: string | undefined = session.body?.data?.accessToken;
  if (!accessToken || !workspaceId) throw new Error(`could not sign in the demo user (HTTP ${session.status}: ${JSON.stringify(session.body?.error ?? {})})`);
  const created = await post(
    gatewayUrl,
    "/api/v1/api-tokens",
    { name: `npm start ${new Date().toISOString()}`, scopes: ["*"], environment: "test" },
    { authorization: `Bearer ${accessToken}`, "x-workspace-id": workspaceId },
  );
  const apiToken: string | undefined = created.body?.data?.secret;
  if (!apiToken) throw new Error(`could not create the demo API token (HTTP ${created.status}: ${JSON.stringify(created.body?.error ?? {})})`);
  const account = { email: DEMO_EMAIL, workspaceId, apiToken };
  mkdirSync(dirname(credentialsFile), { recursive: true });
  writeFileSync(credentialsFile, JSON.stringify(account, null, 2), { mode: 0o600 });
  chmodSync(credentialsFile, 0o600);
  return account;
}

function readKept(file: string): DemoAccount | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<DemoAccount>;
    return parsed.apiToken && parsed.workspaceId && parsed.email ? (parsed as DemoAccount) : undefined;
  } catch {
    return undefined;
  }
}

async function works(gatewayUrl: string, account: DemoAccount): Promise<boolean> {
  const response = await fetch(`${gatewayUrl}/api/v1/tags?limit=1`, {
    headers: { authorization: `Bearer ${account.apiToken}`, "x-workspace-id": account.workspaceId },
  });
  await response.arrayBuffer();
  return response.ok;
}

async function post(gatewayUrl: string, path: string, json: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(gatewayUrl + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(json) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let body: any;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  return { status: response.status, body };
}
