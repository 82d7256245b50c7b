import { Metadata } from "@grpc/grpc-js";
import { MetadataKeys } from "@velaflows/kit";
import type { Access } from "./gateway-steps";

/**
 * The metadata of an upstream call, the same for every edge (REST and Connect): the request id,
 * and the identity the gateway established: workspace, user or API token (with the user it acts
 * for), and the permissions the call may use. Services' kit reads these keys; services trust them
 * only from inside the cluster.
 */
export function upstreamMetadata(requestId: string, access: Access, client: { ip?: string; userAgent?: string } = {}): Metadata {
  const metadata = new Metadata();
  metadata.set(MetadataKeys.requestId, requestId);
  // For audit trails and session lists (the Auth service records them); never used for access.
  if (client.ip) metadata.set("x-client-ip", client.ip);
  if (client.userAgent) metadata.set("x-client-user-agent", client.userAgent.slice(0, 512));
  const sessionId = access.principal?.claims?.sid;
  if (typeof sessionId === "string") metadata.set("x-session-id", sessionId);
  if (access.workspaceId) metadata.set(MetadataKeys.workspaceId, access.workspaceId);
  const principal = access.principal;
  if (principal?.kind === "user") metadata.set(MetadataKeys.userId, principal.id);
  if (principal?.kind === "api_token") {
    metadata.set(MetadataKeys.apiTokenId, principal.id);
    if (principal.userId) metadata.set(MetadataKeys.userId, principal.userId);
  }
  const permissions = access.permissions ?? access.membership?.permissions;
  if (permissions) metadata.set(MetadataKeys.permissions, permissions.join(","));
  return metadata;
}
