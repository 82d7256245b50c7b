import { status as GrpcStatus } from "@grpc/grpc-js";
import { createServiceClient, inWorkspace, ServiceError } from "@velaflows/kit";
import { GetTagRequest, TagsServiceClient } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import type { TagsPort } from "../domain/dependencies";

// Tags has no get-by-ids RPC: one GetTag per distinct id, this many at a time.
const CONCURRENT_LOOKUPS = 16;

/** The Tags service over gRPC (TAGS_ADDR). */
export function createTagsPort(address: string): TagsPort & { close(): void } {
  const { call, close } = createServiceClient(TagsServiceClient, address);
  return {
    async unknownTags(workspaceId, tagIds) {
      const distinct = [...new Set(tagIds)];
      const unknown = new Set<string>();
      for (let start = 0; start < distinct.length; start += CONCURRENT_LOOKUPS) {
        await Promise.all(
          distinct.slice(start, start + CONCURRENT_LOOKUPS).map(async (id) => {
            try {
              const { tag } = await call.getTag(GetTagRequest.fromPartial({ id }), { metadata: inWorkspace(workspaceId) });
              if (!tag || (tag.entityTypes.length > 0 && !tag.entityTypes.includes("lead"))) unknown.add(id);
            } catch (error) {
              if (error instanceof ServiceError && (error.code === GrpcStatus.NOT_FOUND || error.code === GrpcStatus.INVALID_ARGUMENT)) unknown.add(id);
              else throw error;
            }
          }),
        );
      }
      return unknown;
    },
    close,
  };
}
