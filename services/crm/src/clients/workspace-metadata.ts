import { Metadata } from "@grpc/grpc-js";
import { MetadataKeys } from "@velaflows/kit";

/** Metadata of a call made in `workspaceId` (as `userId` when given). */
export function inWorkspace(workspaceId: string, userId?: string): Metadata {
  const metadata = new Metadata();
  metadata.set(MetadataKeys.workspaceId, workspaceId);
  if (userId) metadata.set(MetadataKeys.userId, userId);
  return metadata;
}
