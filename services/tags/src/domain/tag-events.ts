import { defineEvent } from "@velaflows/kit";
import {
  TagAttachedEvent,
  TagCreatedEvent,
  TagDeletedEvent,
  TagDetachedEvent,
  TagMergedEvent,
  TagUpdatedEvent,
} from "@velaflows/proto/ts/velaflows/tags/v1/events";

// Event types come from the `event_type` option of each message in events.proto.
export const tagCreated = defineEvent("velaflows.tags.v1.TagCreatedEvent", TagCreatedEvent);
export const tagUpdated = defineEvent("velaflows.tags.v1.TagUpdatedEvent", TagUpdatedEvent);
export const tagDeleted = defineEvent("velaflows.tags.v1.TagDeletedEvent", TagDeletedEvent);
export const tagAttached = defineEvent("velaflows.tags.v1.TagAttachedEvent", TagAttachedEvent);
export const tagDetached = defineEvent("velaflows.tags.v1.TagDetachedEvent", TagDetachedEvent);
export const tagMerged = defineEvent("velaflows.tags.v1.TagMergedEvent", TagMergedEvent);
