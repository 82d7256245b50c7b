import { status as GrpcStatus } from "@grpc/grpc-js";
import { createServiceClient, inWorkspace, isObjectId, ServiceError } from "@velaflows/kit";
import { BatchGetTagsRequest, TagsServiceClient, type Tag } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import type { TagsPort } from "../domain/dependencies";

// BatchGetTags takes at most this many ids.
const BATCH_SIZE = 100;
// Its NOT_FOUND names every missing id here (comma-separated).
const MISSING_IDS = "missing_ids";

/** The Tags service over gRPC (TAGS_ADDR). */
export function createTagsPort(address: string): TagsPort & { close(): void } {
  const { call, close } = createServiceClient(TagsServiceClient, address);

  // The tags among `ids` (all object ids), and those BatchGetTags named as missing. All or
  // nothing, so a refusal naming some ids is followed by one call for the others.
  async function lookUp(workspaceId: string, ids: readonly string[]): Promise<{ tags: Tag[]; missing: string[] }> {
    try {
      const { tags } = await call.batchGetTags(BatchGetTagsRequest.fromPartial({ ids: [...ids] }), { metadata: inWorkspace(workspaceId) });
      return { tags, missing: [] };
    } catch (error) {
      const named = error instanceof ServiceError && error.code === GrpcStatus.NOT_FOUND ? (error.metadata[MISSING_IDS] ?? "").split(",").filter(Boolean) : [];
      if (named.length === 0) throw error;
      const rest = ids.filter((id) => !named.includes(id));
      return { tags: rest.length > 0 ? (await lookUp(workspaceId, rest)).tags : [], missing: named };
    }
  }

  return {
    async unknownTags(workspaceId, tagIds) {
      const distinct = [...new Set(tagIds)];
      const unknown = new Set(distinct.filter((id) => !isObjectId(id)));
      const checkable = distinct.filter((id) => !unknown.has(id));
      for (let start = 0; start < checkable.length; start += BATCH_SIZE) {
        const { tags, missing } = await lookUp(workspaceId, checkable.slice(start, start + BATCH_SIZE));
        missing.forEach((id) => unknown.add(id));
        for (const tag of tags) if (tag.entityTypes.length > 0 && !tag.entityTypes.includes("lead")) unknown.add(tag.id);
      }
      return unknown;
    },
    close,
  };
}
