import { createServiceClient, inWorkspace } from "@velaflows/kit";
import { BulkAttachTagsRequest, ListEntityTagsRequest, SetEntityTagsRequest, TagsServiceClient } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import type { TagsPort } from "../domain/dependencies";

/** The Tags service over gRPC (TAGS_ADDR). */
export function createTagsPort(address: string): TagsPort & { close(): void } {
  const { call, close } = createServiceClient(TagsServiceClient, address);
  return {
    async setCustomerTags(workspaceId, customerId, tagIds) {
      const response = await call.setEntityTags(SetEntityTagsRequest.fromPartial({ entity: { entityType: "customer", entityId: customerId }, tagIds: [...tagIds] }), {
        metadata: inWorkspace(workspaceId),
      });
      return response.items.map((tag) => tag.id).sort();
    },
    async attachToCustomers(workspaceId, tagIds, customerIds) {
      await call.bulkAttachTags(
        BulkAttachTagsRequest.fromPartial({ tagIds: [...tagIds], entities: customerIds.map((entityId) => ({ entityType: "customer", entityId })) }),
        { metadata: inWorkspace(workspaceId) },
      );
    },
    async customerTags(workspaceId, customerId) {
      const response = await call.listEntityTags(ListEntityTagsRequest.fromPartial({ entity: { entityType: "customer", entityId: customerId } }), {
        metadata: inWorkspace(workspaceId),
      });
      return response.items.map((tag) => tag.id).sort();
    },
    close,
  };
}
