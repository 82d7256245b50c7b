import { bindService, type ServiceBinding } from "@velaflows/kit";
import { TagsServiceService } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import type { TagsStore } from "./persistence/tags-store";
import { attachTagHandler } from "./rpc/attach-tag";
import { batchGetEntityTagsHandler } from "./rpc/batch-get-entity-tags";
import { batchGetTagsHandler } from "./rpc/batch-get-tags";
import { bulkAttachTagsHandler } from "./rpc/bulk-attach-tags";
import { bulkDetachTagsHandler } from "./rpc/bulk-detach-tags";
import { createTagHandler } from "./rpc/create-tag";
import { deleteTagHandler } from "./rpc/delete-tag";
import { detachTagHandler } from "./rpc/detach-tag";
import { getTagHandler } from "./rpc/get-tag";
import { getTagUsageHandler } from "./rpc/get-tag-usage";
import { listEntityTagsHandler } from "./rpc/list-entity-tags";
import { listTagEntitiesHandler } from "./rpc/list-tag-entities";
import { listTagsHandler } from "./rpc/list-tags";
import { mergeTagsHandler } from "./rpc/merge-tags";
import { setEntityTagsHandler } from "./rpc/set-entity-tags";
import { updateTagHandler } from "./rpc/update-tag";

/** The TagsService: one handler per RPC, each given the store it works on. */
export function createTagsService(store: TagsStore): ServiceBinding {
  return bindService(TagsServiceService, {
    createTag: createTagHandler(store),
    getTag: getTagHandler(store),
    batchGetTags: batchGetTagsHandler(store),
    updateTag: updateTagHandler(store),
    deleteTag: deleteTagHandler(store),
    listTags: listTagsHandler(store),
    attachTag: attachTagHandler(store),
    detachTag: detachTagHandler(store),
    bulkAttachTags: bulkAttachTagsHandler(store),
    bulkDetachTags: bulkDetachTagsHandler(store),
    listEntityTags: listEntityTagsHandler(store),
    setEntityTags: setEntityTagsHandler(store),
    batchGetEntityTags: batchGetEntityTagsHandler(store),
    listTagEntities: listTagEntitiesHandler(store),
    getTagUsage: getTagUsageHandler(store),
    mergeTags: mergeTagsHandler(store),
  });
}
