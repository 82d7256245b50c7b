// The service kit: everything a VelaFlows service needs that is not its domain.

// Starting a service
export { startService, bindService } from "./server/start-service";
export type { StartServiceOptions, RunningService, ServiceBinding } from "./server/start-service";
export { runMain } from "./server/run-main";
export type { Stoppable } from "./server/run-main";
export { loadServerConfig } from "./server/server-config";
export type { ServerConfig } from "./server/server-config";
export { loadServiceManifest } from "./config/service-manifest";
export type { ServiceManifest } from "./config/service-manifest";
export { createEnvReader } from "./config/env";
export type { EnvReader } from "./config/env";

// Calls
export { requireWorkspace, MetadataKeys } from "./rpc/call-context";
export { fieldsToUpdate, maskOrSetPaths } from "./rpc/update-mask";
export { fileResponse, csvFile, CSV_CONTENT_TYPE } from "./rpc/file-response";
export { inRequestOrder, batchLookUp, missingIds, MISSING_IDS_KEY } from "./rpc/batch-get";
export type { CallContext } from "./rpc/call-context";
export type { Interceptor, UnaryCall, UnaryNext } from "./rpc/interceptor";
export type { UnaryHandlers, GrpcServiceDefinition } from "./rpc/implement-service";
export { createServiceClient } from "./clients/service-client";
export { inWorkspace } from "./clients/workspace-metadata";
export type { PromiseClient, CallSettings, ServiceClientOptions } from "./clients/service-client";
export { createEntityDefinitionsCache, followPropertyDefinitionEvents, PROPERTY_DEFINITION_EVENTS } from "./clients/entity-definitions-cache";
export type { EntityDefinitionsCache, EntityDefinitionsCacheOptions } from "./clients/entity-definitions-cache";

// Errors
export {
  ServiceError,
  NotFoundError,
  ValidationError,
  BadRequestError,
  ConflictError,
  FailedPreconditionError,
  UnauthenticatedError,
  ForbiddenError,
  TooManyRequestsError,
} from "./errors/service-error";
export type { FieldViolation, ServiceErrorOptions } from "./errors/service-error";
export { readErrorDetails, serviceErrorFromGrpc } from "./errors/error-status";
export type { ErrorDetails } from "./errors/error-status";

// Data
export { createDataSource, runMigrations } from "./database/data-source";
export type { DataSourceOptions } from "./database/data-source";
export { WorkspaceEntity } from "./database/workspace-entity";
export { WorkspaceRepository } from "./database/workspace-repository";
export { paginate, resolveListParams, pageOf, escapeLike, DEFAULT_LIMIT, MAX_LIMIT } from "./database/list-query";
export type { ListParams, ListSpec, Pagination, ResolvedList } from "./database/list-query";
export { isUniqueViolation } from "./database/pg-errors";
export { runSql } from "./database/sql";
export type { SqlResult } from "./database/sql";
export { newObjectId, isObjectId, objectIdTime } from "./ids/object-id";
export { sameJson } from "./json/same-json";

// Background jobs (CSV imports and exports resumable from a checkpoint)
export { startJobRunner, JobInterrupted } from "./jobs/job-runner";
export type { ClaimedJob, JobKind, JobRunnerOptions } from "./jobs/job-runner";
export { ImportJobColumns, ExportJobColumns, ImportErrorEntity, jobTablesSql } from "./jobs/job-entities";
export type { JobState } from "./jobs/job-entities";
export { loadJobsConfig } from "./jobs/jobs-config";
export type { JobsConfig } from "./jobs/jobs-config";
export { JobRepository } from "./jobs/job-repository";
export type { NewImportError } from "./jobs/job-repository";
export { readCsvHeader, readCsvBatches, csvLine, importErrorsToCsv, exportCsvInChunks } from "./jobs/csv-jobs";
export type { CsvRow } from "./jobs/csv-jobs";

// Events
export { defineEvent, publishEvents } from "./events/domain-event";
export type { DomainEvent, EventFactory } from "./events/domain-event";
export { OutboxEventEntity } from "./events/outbox-event.entity";
export { topicMatches, DEFAULT_RETRY_POLICY } from "./events/event-bus";
export type {
  EventBus,
  EventEnvelope,
  EventHandler,
  BroadcastHandler,
  BroadcastOptions,
  DeliveryInfo,
  RetryPolicy,
  SubscribeOptions,
  Subscription,
} from "./events/event-bus";
export { createInProcessBus, sharedInProcessBus } from "./events/in-process-bus";
export type { InProcessBus, DeadLetter } from "./events/in-process-bus";
export { createAmqpBus, EVENTS_EXCHANGE, deadLetterQueueOf, retryQueueOf } from "./events/amqp-bus";
export type { AmqpBus, AmqpBusOptions } from "./events/amqp-bus";
export { createEventBus, loadEventBusConfig } from "./events/create-event-bus";
export type { EventBusConfig } from "./events/create-event-bus";
export { createOutboxRelay, envelopeOf } from "./events/outbox-relay";
export type { OutboxRelay, OutboxRelayOptions } from "./events/outbox-relay";
export { subscribeEvents } from "./events/subscribe-events";
export type { SubscribeEventsOptions } from "./events/subscribe-events";
export { eventMetrics } from "./events/event-metrics";
export { eventCatalog, findEventType, sampleEventData } from "./events/event-catalog";
export type { EventTypeDescription } from "./events/event-catalog";
export type { EventMetrics } from "./events/event-metrics";

// Observability
export { createLogger } from "./logging/logger";
export type { Logger, LoggerOptions } from "./logging/logger";
export { createServiceMetrics } from "./metrics/service-metrics";
export { registerPoolMetrics } from "./metrics/pool-metrics";
export type { ServiceMetrics } from "./metrics/service-metrics";

// Access tokens (the format shared by the Auth service, the gateway and the test harness)
export {
  WORKSPACES_CLAIM,
  generateAccessTokenSigningKey,
  accessTokenJwks,
  mintAccessToken,
} from "./auth/access-token";
export type { WorkspaceGrant, WorkspacesClaim, AccessTokenSigningKey, MintAccessTokenOptions } from "./auth/access-token";

// Protos and validation (shared with the gateway)
export { protoRegistry, findMethod } from "./protos/proto-registry";
export { methodPolicy } from "./protos/method-options";
export type { MethodPolicy } from "./protos/method-options";
export { validateMessage } from "./validation/validate-message";

// Permissions ("<service>:<read|write|manage>", "*")
export { ALL_PERMISSIONS, PERMISSION_LEVELS, parsePermission, grants, grantsAll, intersectPermissions } from "./auth/permission";
export type { Permission, PermissionLevel } from "./auth/permission";
export { declaredPermissions, serviceMethods } from "./auth/permission-catalog";
export type { DeclaredPermission } from "./auth/permission-catalog";
