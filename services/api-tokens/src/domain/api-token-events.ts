import { defineEvent } from "@velaflows/kit";
import {
  ApiTokenCreatedEvent,
  ApiTokenDeletedEvent,
  ApiTokenRevokedEvent,
  ApiTokenRotatedEvent,
  ApiTokenUpdatedEvent,
} from "@velaflows/proto/ts/velaflows/api_tokens/v1/events";

// Event types come from the `event_type` option of each message in events.proto. The messages
// carry the token's metadata (ApiToken), never its secret or hash.
export const apiTokenCreated = defineEvent("velaflows.api_tokens.v1.ApiTokenCreatedEvent", ApiTokenCreatedEvent);
export const apiTokenUpdated = defineEvent("velaflows.api_tokens.v1.ApiTokenUpdatedEvent", ApiTokenUpdatedEvent);
export const apiTokenRevoked = defineEvent("velaflows.api_tokens.v1.ApiTokenRevokedEvent", ApiTokenRevokedEvent);
export const apiTokenRotated = defineEvent("velaflows.api_tokens.v1.ApiTokenRotatedEvent", ApiTokenRotatedEvent);
export const apiTokenDeleted = defineEvent("velaflows.api_tokens.v1.ApiTokenDeletedEvent", ApiTokenDeletedEvent);
