import { getOption, hasOption } from "@bufbuild/protobuf";
import type { EntityManager } from "typeorm";
import { event_type } from "@velaflows/proto/es/velaflows/api/v1/annotations_pb";
import { runSql } from "../database/sql";
import { newObjectId } from "../ids/object-id";
import { protoRegistry } from "../protos/proto-registry";
import { OutboxEventEntity } from "./outbox-event.entity";
import { OUTBOX_WRITER } from "./outbox-writer";

/** An event as it travels: the envelope of the webhook docs, minus the id and timestamp. */
export interface DomainEvent {
  /** "service.entity.action", from the event message's `velaflows.api.v1.event_type` option. */
  type: string;
  workspaceId: string;
  /** The event message in proto3 JSON. */
  data: unknown;
}

/** Makes {@link DomainEvent}s of one event message type. */
export type EventFactory<T> = ((workspaceId: string, message: T) => DomainEvent) & { readonly type: string };

/**
 * Binds an event message of `events.proto` to its type string. `messageName` is the message's full
 * name ("velaflows.tags.v1.TagCreatedEvent"); `codec` is its ts-proto object, whose `toJSON`
 * renders proto3 JSON. Throws at start-up when the message or its `event_type` option is missing.
 */
export function defineEvent<T>(messageName: string, codec: { toJSON(message: T): unknown }): EventFactory<T> {
  const desc = protoRegistry().getMessage(messageName);
  if (!desc || !hasOption(desc, event_type)) throw new Error(`${messageName} is not an event message with a velaflows.api.v1.event_type option`);
  const type = getOption(desc, event_type);
  return Object.assign((workspaceId: string, message: T): DomainEvent => ({ type, workspaceId, data: codec.toJSON(message) }), { type });
}

/**
 * Writes events to the service's outbox through `manager`, which must be the manager of the
 * transaction making the change: the events then exist exactly when the change does.
 */
export async function publishEvents(manager: EntityManager, events: readonly DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error("publishEvents() must run inside the transaction that makes the change");
  }
  const occurredAt = new Date();
  // One statement and one parameter, the rows as JSON: an import writes a thousand events a
  // batch, and an entity insert of that many rows cost more CPU than the database spent on it.
  const { schema, tableName } = manager.connection.getMetadata(OutboxEventEntity);
  const table = schema ? `"${schema}"."${tableName}"` : `"${tableName}"`;
  const rows = events.map((event) => ({ id: `evt_${newObjectId(occurredAt)}`, event_type: event.type, workspace_id: event.workspaceId, data: event.data }));
  await runSql(
    manager,
    `INSERT INTO ${table} ("id", "event_type", "workspace_id", "data", "occurred_at", "published_at", "attempts", "writer")
     SELECT r."id", r."event_type", r."workspace_id", r."data", $2, NULL, 0, $3
       FROM jsonb_to_recordset($1::jsonb) AS r("id" varchar, "event_type" varchar, "workspace_id" varchar, "data" jsonb)`,
    [JSON.stringify(rows), occurredAt, OUTBOX_WRITER],
  );
}
