import { Metadata } from "@grpc/grpc-js";
import { MetadataKeys } from "../rpc/call-context";

/**
 * Metadata of a call made in `workspaceId` (as `userId` when given): for calls with no inbound call
 * to copy the workspace from (event handlers, background jobs).
 */
export function inWorkspace(workspaceId: string, userId?: string): Metadata {
  const metadata = new Metadata();
  metadata.set(MetadataKeys.workspaceId, workspaceId);
  if (userId) metadata.set(MetadataKeys.userId, userId);
  return metadata;
}
