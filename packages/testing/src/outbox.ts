import { Client } from "pg";

/** One event a service wrote to its outbox. */
export interface OutboxEventRow {
  id: string;
  eventType: string;
  workspaceId: string;
  data: Record<string, any>;
}

/**
 * The events of `eventType` in a service's outbox (`<schema>.outbox_events` in the test database),
 * oldest first, whose data matches `where`. For tests that need what only an event carries, such
 * as the invitation token the Auth service hands to the mail service.
 */
export async function readOutboxEvents(schema: string, eventType: string, where: (data: Record<string, any>) => boolean = () => true): Promise<OutboxEventRow[]> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; event_type: string; workspace_id: string; data: Record<string, any> }>(
      `SELECT "id", "event_type", "workspace_id", "data" FROM "${schema.replace(/"/g, "")}"."outbox_events" WHERE "event_type" = $1 ORDER BY "occurred_at", "id"`,
      [eventType],
    );
    return rows.filter((row) => where(row.data)).map((row) => ({ id: row.id, eventType: row.event_type, workspaceId: row.workspace_id, data: row.data }));
  } finally {
    await client.end();
  }
}
