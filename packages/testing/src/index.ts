// Test harness shared by every service's tests.
export { startTestService } from "./test-service";
export { newWorkspaceId, workspaceMetadata, expectFailure } from "./grpc-helpers";
export type { CallFailure } from "./grpc-helpers";
export { readOutboxEvents } from "./outbox";
export type { OutboxEventRow } from "./outbox";
export { partialClient } from "./partial-client";
export type { PartialClient } from "./partial-client";
export { createTestIdentity } from "./test-identity";
export type { TestIdentity, TestIdentityOptions, TestTokenOptions } from "./test-identity";
export { startWebhookReceiver } from "./webhook-receiver";
export type { WebhookReceiver, ReceivedRequest, ReceiverAnswer } from "./webhook-receiver";
export { eventually } from "./eventually";
