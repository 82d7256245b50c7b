import { MetadataKeys } from "@velaflows/kit";
import type { UpstreamMetadata } from "../upstream/upstream-pool";
import type { Access } from "./gateway-steps";

// gRPC metadata values (of keys without -bin) are printable ASCII; a client's header may hold more.
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

function printable(value: string): string {
  return NOT_PRINTABLE_ASCII.test(value) ? value.replace(/[^\x20-\x7e]/g, "?") : value;
}

/**
 * The metadata of an upstream call, the same for every edge (REST and Connect): the request id,
 * and the identity the gateway established: workspace, user or API token (with the user it acts
 * for), the permissions the call may use, and the user's teams. Services' kit reads these keys;
 * services trust them only from inside the cluster.
 */
export function upstreamMetadata(requestId: string, access: Access, client: { ip?: string; userAgent?: string } = {}): UpstreamMetadata {
  const metadata: UpstreamMetadata = { [MetadataKeys.requestId]: requestId };
  // For audit trails and session lists (the Auth service records them); never used for access.
  if (client.ip) metadata["x-client-ip"] = printable(client.ip);
  if (client.userAgent) metadata["x-client-user-agent"] = printable(client.userAgent.slice(0, 512));
  const sessionId = access.principal?.claims?.sid;
  if (typeof sessionId === "string") metadata["x-session-id"] = printable(sessionId);
  if (access.workspaceId) metadata[MetadataKeys.workspaceId] = access.workspaceId;
  const principal = access.principal;
  if (principal?.kind === "user") metadata[MetadataKeys.userId] = principal.id;
  if (principal?.kind === "api_token") {
    metadata[MetadataKeys.apiTokenId] = principal.id;
    if (principal.userId) metadata[MetadataKeys.userId] = principal.userId;
  }
  const permissions = access.permissions ?? access.membership?.permissions;
  if (permissions) metadata[MetadataKeys.permissions] = permissions.join(",");
  // The acting user's teams (an API token's: its creator's), for what is visible to a team.
  const teamIds = access.membership?.teamIds;
  if (teamIds && teamIds.length > 0) metadata[MetadataKeys.teamIds] = teamIds.join(",");
  return metadata;
}
