import { batchLookUp, createServiceClient, inWorkspace, isObjectId } from "@velaflows/kit";
import { BatchGetTagsRequest, TagsServiceClient } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import type { TagsPort } from "../domain/dependencies";

// BatchGetTags takes at most this many ids.
const BATCH_SIZE = 100;

/** The Tags service over gRPC (TAGS_ADDR). */
export function createTagsPort(address: string): TagsPort & { close(): void } {
  const { call, close } = createServiceClient(TagsServiceClient, address);
  return {
    async unknownTags(workspaceId, tagIds) {
      const distinct = [...new Set(tagIds)];
      const unknown = new Set(distinct.filter((id) => !isObjectId(id)));
      const checkable = distinct.filter((id) => !unknown.has(id));
      const { found, missing } = await batchLookUp(checkable, BATCH_SIZE, async (ids) => {
        return (await call.batchGetTags(BatchGetTagsRequest.fromPartial({ ids }), { metadata: inWorkspace(workspaceId) })).tags;
      });
      missing.forEach((id) => unknown.add(id));
      for (const tag of found) if (tag.entityTypes.length > 0 && !tag.entityTypes.includes("lead")) unknown.add(tag.id);
      return unknown;
    },
    close,
  };
}
