import {
  csvLine,
  importErrorsToCsv,
  newObjectId,
  NotFoundError,
  readCsvBatches,
  readCsvHeader,
  ServiceError,
  ValidationError,
  type DomainEvent,
  type FieldViolation,
  type ListParams,
} from "@velaflows/kit";
import type { ColumnMapping } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import type { CustomerEntity } from "../persistence/customer.entity";
import type { CustomersStore, CustomersUnit } from "../persistence/customers-store";
import type { ImportJobEntity, StoredMapping } from "../persistence/jobs.entity";
import type { NewImportError } from "../persistence/job.repository";
import type { NewTimelineEntry } from "../persistence/timeline.repository";
import { toCustomerProto, toImportJobProto } from "../persistence/customer.mapper";
import { customerCreated, customerUpdated, importFinished } from "./customer-events";
import { cleanEmails, cleanPhones, derivedFields, keysOf } from "./customer-rules";
import { newCustomerRow, validateCustomProperties } from "./customers";
import { MAX_BULK_ATTACH, MAX_VALIDATE_BATCH, type CustomerDependencies, type ValuesCheck } from "./dependencies";
import { autoMapping, readRow, type ImportRow } from "./csv-import-rows";

/**
 * The largest CSV an import accepts, in bytes (a 100k-row file is about 10 MiB); the `csv` field's
 * max_len and the method's max_request_bytes (proto) let it through the gateway. It is parsed in
 * streamed batches, so memory holds the file once and one batch of rows.
 */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

export interface NewImport {
  csv: string;
  file: Buffer;
  fileName: string;
  mapping: ColumnMapping[];
  matchBy: string;
  dryRun: boolean;
}

/** Checks the file's header against the mapping and queues the job; the runner does the rest. */
export async function createImportJob(store: CustomersStore, workspaceId: string, input: NewImport, actor: string | null): Promise<ImportJobEntity> {
  const given = [input.csv.length > 0, input.file.length > 0].filter(Boolean).length;
  if (given !== 1) throw new ValidationError([{ path: "csv", message: "give the CSV as csv (text) or as file (bytes), not both" }]);
  const content = input.csv || input.file.toString("utf8");
  const sizeBytes = Buffer.byteLength(content);
  if (sizeBytes > MAX_IMPORT_BYTES) throw new ValidationError([{ path: input.csv ? "csv" : "file", message: `must be at most ${MAX_IMPORT_BYTES} bytes` }]);
  const header = readCsvHeader(content);
  const mapping: StoredMapping[] = input.mapping.length > 0 ? input.mapping.map(({ column, field }) => ({ column, field })) : autoMapping(header);
  const violations: FieldViolation[] = [];
  input.mapping.forEach((m, i) => {
    if (!header.includes(m.column)) violations.push({ path: `mapping[${i}].column`, message: `is not a column of the file (columns: ${header.join(", ")})` });
  });
  const matchBy = input.matchBy === "phone" ? "phone" : "email";
  if (!mapping.some((m) => m.field === matchBy)) violations.push({ path: "mapping", message: `no column is mapped to ${matchBy}, which rows are matched by` });
  if (violations.length > 0) throw new ValidationError(violations);
  return store.transaction((unit) =>
    unit.jobs.insertImport(workspaceId, {
      id: newObjectId(),
      status: "queued",
      matchBy,
      dryRun: input.dryRun,
      mapping,
      content,
      fileName: input.fileName,
      sizeBytes,
      createdBy: actor,
    }),
  );
}

export async function getImportJob(store: CustomersStore, workspaceId: string, id: string): Promise<ImportJobEntity> {
  const job = await store.read.jobs.findImport(workspaceId, id);
  if (!job) throw new NotFoundError("ImportJob", id);
  return job;
}

export function listImportJobs(store: CustomersStore, workspaceId: string, params: ListParams) {
  return store.read.jobs.listImports(workspaceId, params);
}

/** The refused rows as CSV: row, column, message, data. */
export async function importErrorsCsv(store: CustomersStore, workspaceId: string, id: string): Promise<{ csv: string; count: number }> {
  await getImportJob(store, workspaceId, id);
  const errors = await store.read.jobs.importErrors(workspaceId, id);
  return { csv: importErrorsToCsv(errors), count: errors.length };
}

/** Thrown inside a dry run's batch transaction to undo its writes after counting them. */
class DryRunRollback extends Error {}

/**
 * Runs (or resumes) an import: the stored CSV is stream-parsed, rows already done (the checkpoint)
 * are skipped, and each batch is written in one transaction together with its counts, errors and
 * the new checkpoint, so a restart never applies a row twice. Memory holds one batch of rows.
 */
export async function runImport(
  store: CustomersStore,
  deps: CustomerDependencies,
  workspaceId: string,
  jobId: string,
  batchRows: number,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  const job = await getImportJob(store, workspaceId, jobId);
  const content = await store.read.jobs.importContent(workspaceId, jobId);
  const context: BatchContext = { job, deps, defaults: undefined };
  // Three batches in flight, one per stage: batch N+1 is read and checked (Custom Properties,
  // key lookups) while batch N is written, and the tags of batch N-1's new customers are attached
  // (Tags calls, after its commit) meanwhile. Batch N+1 sees N's match keys as taken (its rows
  // become updates, as a key repeated within a batch does), since N may not have committed yet.
  let writing: Promise<Settled<CreatedRow[]>> | undefined;
  let tagging: Promise<Settled<void>> | undefined;
  let pendingKeys: ReadonlySet<string> = new Set();
  const tagged = async () => {
    const done = tagging;
    tagging = undefined;
    if (done) outcomeOf(await done);
  };
  const written = async () => {
    const done = writing;
    writing = undefined;
    if (!done) return;
    const created = outcomeOf(await done);
    const previous = tagging;
    tagging = settle(tagBatch(store, context, created));
    if (previous) outcomeOf(await previous);
  };
  try {
    await readCsvBatches(content, { skipRows: job.processedRows, batchRows, shouldStop }, async (header, batch) => {
      const checked = await checkBatch(store, context, header, batch, pendingKeys);
      pendingKeys = checked.keys;
      await written();
      writing = settle(writeBatch(store, context, checked));
    });
    await written();
    await tagged();
  } catch (error) {
    // The job stops with this error (or is interrupted): the batches in flight finish first, and
    // a batch committed is tagged too (its customers carry their tag copy already).
    const last = await writing;
    // A failure of these tags is dropped: the job's own error is the one it reports.
    const tags = last?.ok ? tagBatch(store, context, last.value).catch(() => undefined) : undefined;
    await tagging;
    await tags;
    throw error;
  }
  await store.transaction(async (unit) => {
    // The file is needed only to resume; the refused rows keep their own copy.
    await unit.jobs.updateImport(workspaceId, jobId, { status: "completed", finishedAt: new Date(), heartbeatAt: null, content: "" });
    const done = await getImportJobIn(unit, workspaceId, jobId);
    await unit.publish([importFinished(workspaceId, { job: toImportJobProto(done) })]);
  });
}

async function getImportJobIn(unit: Pick<CustomersUnit, "jobs">, workspaceId: string, id: string) {
  const job = await unit.jobs.findImport(workspaceId, id);
  if (!job) throw new NotFoundError("ImportJob", id);
  return job;
}

interface BatchContext {
  job: ImportJobEntity;
  deps: CustomerDependencies;
  /** The validated values of a new customer with no custom property cells (defaults applied), reused per job. */
  defaults: Record<string, unknown> | undefined;
}

interface BatchResult {
  created: number;
  updated: number;
  errors: NewImportError[];
}

/** A row read and checked before its batch's transaction (no other service is called inside it). */
interface PreparedRow {
  rowNumber: number;
  data: string;
  row: ImportRow;
  /** Validated custom property values (partial for rows matching an existing customer). */
  customProperties: Record<string, unknown> | undefined;
  /** No customer holds the row's match key yet, nor does an earlier row of the file. */
  isNew: boolean;
}

/** The outcome of a stage running beside the next one, held until that is awaited (so never an unhandled rejection). */
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  return work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function outcomeOf<T>(settled: Settled<T>): T {
  if (!settled.ok) throw settled.error;
  return settled.value;
}

/** A batch read and checked, ready for its transaction. */
interface CheckedBatch {
  rows: number;
  prepared: PreparedRow[];
  result: BatchResult;
  /** The match keys of its rows. */
  keys: Set<string>;
}

/** Reads and checks a batch outside any transaction; `pendingKeys` are keys of a batch being written now. */
async function checkBatch(
  store: CustomersStore,
  context: BatchContext,
  header: string[],
  rows: { rowNumber: number; cells: string[] }[],
  pendingKeys: ReadonlySet<string>,
): Promise<CheckedBatch> {
  const result: BatchResult = { created: 0, updated: 0, errors: [] };
  const keys = new Set<string>();
  const prepared = await prepareRows(store, context, header, rows, result, pendingKeys, keys);
  return { rows: rows.length, prepared, result, keys };
}

/** Writes a batch in one transaction with its counts, errors and checkpoint; answers the customers it created (to tag). */
async function writeBatch(store: CustomersStore, context: BatchContext, { rows, prepared, result }: CheckedBatch): Promise<CreatedRow[]> {
  const { job } = context;
  const workspaceId = job.workspaceId;
  const record = async (unit: CustomersUnit) => {
    await unit.jobs.addImportErrors(workspaceId, job.id, result.errors);
    await unit.jobs.advanceImport(workspaceId, job.id, { rows, created: result.created, updated: result.updated, errors: result.errors.length });
  };
  if (job.dryRun) {
    await store
      .transaction(async (unit) => {
        await applyRows(unit, context, prepared, result);
        throw new DryRunRollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof DryRunRollback)) throw error;
      });
    await store.transaction(record);
    return [];
  }
  return store.transaction(async (unit) => {
    const done = await applyRows(unit, context, prepared, result);
    await record(unit);
    return done;
  });
}

/** Tags the customers a batch created, after its commit; refused tag lists are counted as errors of the job. */
async function tagBatch(store: CustomersStore, context: BatchContext, created: readonly CreatedRow[]): Promise<void> {
  const { job, deps } = context;
  const workspaceId = job.workspaceId;
  const tagErrors = await applyCreatedTags(store, deps, workspaceId, created);
  if (tagErrors.length > 0) {
    await store.transaction(async (unit) => {
      await unit.jobs.addImportErrors(workspaceId, job.id, tagErrors);
      await unit.jobs.advanceImport(workspaceId, job.id, { rows: 0, created: 0, updated: 0, errors: tagErrors.length });
    });
  }
}

/**
 * Tags of the customers a batch created, after its commit. Each tag is attached to the customers
 * carrying it together, up to {@link MAX_BULK_ATTACH} per call and a few calls at once, and the
 * copy of every customer's tags is written with one statement. The customers of a call the Tags
 * service refuses (an unknown tag) are retried row by row, so each refused tag list is reported on
 * its own row, without undoing the row.
 */
async function applyCreatedTags(store: CustomersStore, deps: CustomerDependencies, workspaceId: string, created: readonly CreatedRow[]): Promise<NewImportError[]> {
  const byTag = new Map<string, CreatedRow[]>();
  for (const row of created) {
    for (const tagId of new Set(row.tagIds)) byTag.set(tagId, [...(byTag.get(tagId) ?? []), row]);
  }
  const calls = [...byTag].flatMap(([tagId, rows]) => Array.from({ length: Math.ceil(rows.length / MAX_BULK_ATTACH) }, (_, i) => ({ tagId, rows: rows.slice(i * MAX_BULK_ATTACH, (i + 1) * MAX_BULK_ATTACH) })));
  const refused = new Set<CreatedRow>();
  let next = 0;
  const worker = async () => {
    for (let call = calls[next++]; call; call = calls[next++]) {
      try {
        await deps.tags.attachToCustomers(workspaceId, [call.tagId], call.rows.map((r) => r.customer.id));
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        call.rows.forEach((r) => refused.add(r));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(TAG_CALLS_AT_ONCE, calls.length) }, worker));
  // Customers created row by row (not by the bulk insert) have no tag copy yet.
  const tagged = created.filter((r) => r.tagIds.length > 0 && !refused.has(r) && !sameTags(r.customer.tagIds, tagCopyOf(r.tagIds)));
  if (tagged.length > 0) {
    await store.transaction((unit) => unit.customers.setTagsOfMany(workspaceId, tagged.map((r) => ({ id: r.customer.id, tagIds: [...new Set(r.tagIds)] }))));
  }
  const tagErrors: NewImportError[] = [];
  for (const { customer, tagIds, rowNumber, data, column } of refused) {
    try {
      const applied = await deps.tags.setCustomerTags(workspaceId, customer.id, tagIds);
      await store.transaction((unit) => unit.customers.update(workspaceId, customer.id, { tagIds: applied }));
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      // Tags of the row other calls did attach are taken off again: none of its list applies.
      await deps.tags.setCustomerTags(workspaceId, customer.id, []).catch(() => undefined);
      if (customer.tagIds.length > 0) await store.transaction((unit) => unit.customers.update(workspaceId, customer.id, { tagIds: [] }));
      tagErrors.push({ rowNumber, columnName: column, message: `tags not applied: ${error.message}`, data });
    }
  }
  return tagErrors;
}

/** A row's tags as the copy holds them: each once, sorted (as setTagsOfMany stores them). */
function tagCopyOf(tagIds: readonly string[]): string[] {
  return [...new Set(tagIds)].sort();
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** BulkAttachTags calls an import has in flight at once. */
const TAG_CALLS_AT_ONCE = 4;

async function prepareRows(
  store: CustomersStore,
  context: BatchContext,
  header: string[],
  rows: { rowNumber: number; cells: string[] }[],
  result: BatchResult,
  pendingKeys: ReadonlySet<string>,
  seen: Set<string>,
): Promise<PreparedRow[]> {
  const { job, deps } = context;
  const workspaceId = job.workspaceId;
  const read = rows.map(({ rowNumber, cells }) => ({ rowNumber, data: csvLine(cells), read: readRow(cells, header, job.mapping) }));
  const keyOf = (row: ImportRow) => (job.matchBy === "email" ? row.customer.emails[0]?.address : row.customer.phones[0]?.number);
  const keys = read.flatMap((r) => ("errors" in r.read ? [] : [keyOf(r.read)].filter((k): k is string => Boolean(k))));
  const existing = await store.read.customers.findIdsByKeys(workspaceId, job.matchBy, keys);
  const readable: { rowNumber: number; data: string; row: ImportRow; partial: boolean }[] = [];
  for (const { rowNumber, data, read: row } of read) {
    if ("errors" in row) {
      for (const e of row.errors) result.errors.push({ rowNumber, columnName: e.column, message: e.message, data });
      continue;
    }
    const key = keyOf(row);
    // A key seen earlier in the file (or already stored) makes this row an update: partial values.
    const partial = Boolean(key && (existing.has(key) || seen.has(key) || pendingKeys.has(key)));
    if (key) seen.add(key);
    readable.push({ rowNumber, data, row, partial });
  }
  // Rows with custom property cells are checked together: one call per partial flag and batch,
  // not one per row.
  const checks = new Map<number, ValuesCheck>();
  for (const partial of [false, true]) {
    const rowsToCheck = readable.filter((r) => r.partial === partial && r.row.customProperties);
    for (let from = 0; from < rowsToCheck.length; from += MAX_VALIDATE_BATCH) {
      const chunk = rowsToCheck.slice(from, from + MAX_VALIDATE_BATCH);
      const results = await deps.properties.validateMany(workspaceId, chunk.map((r) => r.row.customProperties!), partial);
      chunk.forEach((r, i) => checks.set(r.rowNumber, results[i]!));
    }
  }
  const prepared: PreparedRow[] = [];
  for (const { rowNumber, data, row, partial } of readable) {
    const check = checks.get(rowNumber);
    if (check && !check.valid) {
      for (const v of check.violations) result.errors.push({ rowNumber, columnName: row.columnOf(v.path), message: v.path ? `${v.path} ${v.message}` : v.message, data });
      continue;
    }
    let customProperties = check?.values;
    if (!check && !partial) customProperties = context.defaults ??= await validateCustomProperties(deps, workspaceId, {}, false);
    prepared.push({ rowNumber, data, row, customProperties, isNew: !partial });
  }
  return prepared;
}

interface CreatedRow {
  customer: CustomerEntity;
  tagIds: string[];
  rowNumber: number;
  data: string;
  column: string;
}

async function applyRows(unit: CustomersUnit, context: BatchContext, rows: readonly PreparedRow[], result: BatchResult): Promise<CreatedRow[]> {
  const { job } = context;
  const workspaceId = job.workspaceId;
  const events: DomainEvent[] = [];
  const timeline: NewTimelineEntry[] = [];
  const created: CreatedRow[] = [];
  const perRow = [...(await insertNewRows(unit, context, rows.filter((r) => r.isNew), result, created, events, timeline)), ...rows.filter((r) => !r.isNew)];
  for (const { rowNumber, data, row, customProperties } of perRow) {
    await savepoint(unit, "begin");
    try {
      const outcome = await upsertRow(unit, context, row, customProperties);
      await savepoint(unit, "release");
      if (outcome.created) {
        result.created++;
        created.push({ customer: outcome.customer, tagIds: row.customer.tagIds, rowNumber, data, column: row.columnOf("tagIds") });
        events.push(customerCreated(workspaceId, { customer: toCustomerProto(outcome.customer) }));
        timeline.push({ customerId: outcome.customer.id, type: customerCreated.type, summary: "Customer created (import)", actorId: job.createdBy, data: { importJobId: job.id } });
      } else {
        result.updated++;
        if (outcome.changed.length > 0) {
          events.push(customerUpdated(workspaceId, { customer: toCustomerProto(outcome.customer), changedFields: outcome.changed }));
          timeline.push({ customerId: outcome.customer.id, type: customerUpdated.type, summary: "Updated by an import", actorId: job.createdBy, data: { importJobId: job.id, changedFields: outcome.changed } });
        }
      }
    } catch (error) {
      await savepoint(unit, "rollback");
      if (!(error instanceof ServiceError)) throw error;
      const violations = error.violations.length > 0 ? error.violations : [{ path: keyPath(error.metadata.kind), message: error.message }];
      for (const v of violations) result.errors.push({ rowNumber, columnName: row.columnOf(v.path), message: error.violations.length > 0 ? `${v.path} ${v.message}` : v.message, data });
    }
  }
  await unit.timeline.add(workspaceId, timeline);
  await unit.publish(events);
  return created;
}

// The request path of the first key of a kind, which names the column it came from.
function keyPath(kind: string | undefined): string {
  if (kind === "email") return "emails[0].address";
  if (kind === "phone") return "phones[0].number";
  return kind ? `identities.${kind}` : "";
}

async function savepoint(unit: CustomersUnit, step: "begin" | "release" | "rollback", name = "import_row"): Promise<void> {
  const sql = step === "begin" ? `SAVEPOINT ${name}` : step === "release" ? `RELEASE SAVEPOINT ${name}` : `ROLLBACK TO SAVEPOINT ${name}`;
  await unit.sql(sql);
}

/**
 * The fast path for rows that create customers: keys checked against each other and the database
 * in one query, then every customer and every key written with one statement each. Rows whose
 * keys are taken are refused here; if a key was taken meanwhile by a concurrent write, the bulk
 * insert is undone and the rows are returned for the row-by-row path.
 */
async function insertNewRows(
  unit: CustomersUnit,
  context: BatchContext,
  rows: readonly PreparedRow[],
  result: BatchResult,
  created: CreatedRow[],
  events: DomainEvent[],
  timeline: NewTimelineEntry[],
): Promise<PreparedRow[]> {
  if (rows.length === 0) return [];
  const { job } = context;
  const workspaceId = job.workspaceId;
  const now = new Date();
  const candidates = rows.map((prepared) => {
    const fields = newCustomerRow(prepared.row.customer, prepared.customProperties ?? {}, job.createdBy);
    return { prepared, fields, keys: keysOf(fields as CustomerEntity) };
  });
  const holders = await unit.customers.keyHolders(workspaceId, candidates.flatMap((c) => c.keys));
  const claimed = new Set<string>();
  const accepted: (typeof candidates)[number][] = [];
  for (const candidate of candidates) {
    const taken = candidate.keys.find((k) => holders.has(`${k.kind}\u0000${k.value}`) || claimed.has(`${k.kind}\u0000${k.value}`));
    if (taken) {
      const { rowNumber, data, row } = candidate.prepared;
      result.errors.push({ rowNumber, columnName: row.columnOf(keyPath(taken.kind)), message: `Another customer already has the ${taken.kind} ${taken.value}`, data });
      continue;
    }
    candidate.keys.forEach((k) => claimed.add(`${k.kind}\u0000${k.value}`));
    accepted.push(candidate);
  }
  // The tag copy is written with the row (the Tags service gets the tags after the commit; a list
  // it refuses is corrected then): an update of every tagged row afterwards cost as much as the insert.
  const entities = accepted.map(
    ({ fields, prepared }) => ({ ...fields, tagIds: tagCopyOf(prepared.row.customer.tagIds), id: newObjectId(now), workspaceId, createdAt: now, updatedAt: now }) as CustomerEntity,
  );
  await savepoint(unit, "begin", "import_bulk");
  await unit.customers.insertMany(workspaceId, entities);
  const keyRows = accepted.flatMap((c, i) => c.keys.map((k) => ({ ...k, customerId: entities[i]!.id })));
  if ((await unit.customers.insertKeys(workspaceId, keyRows)) !== keyRows.length) {
    await savepoint(unit, "rollback", "import_bulk");
    return accepted.map((c) => c.prepared);
  }
  await savepoint(unit, "release", "import_bulk");
  accepted.forEach(({ prepared }, i) => {
    const customer = entities[i]!;
    result.created++;
    created.push({ customer, tagIds: prepared.row.customer.tagIds, rowNumber: prepared.rowNumber, data: prepared.data, column: prepared.row.columnOf("tagIds") });
    events.push(customerCreated(workspaceId, { customer: toCustomerProto(customer) }));
    timeline.push({ customerId: customer.id, type: customerCreated.type, summary: "Customer created (import)", actorId: job.createdBy, data: { importJobId: job.id } });
  });
  return [];
}

/**
 * Creates the customer or updates the one holding the row's match key: non-empty cells overwrite,
 * e-mails and phones are added to the existing ones, custom properties merge.
 */
async function upsertRow(
  unit: CustomersUnit,
  context: BatchContext,
  row: ImportRow,
  customProperties: Record<string, unknown> | undefined,
): Promise<{ customer: CustomerEntity; created: boolean; changed: string[] }> {
  const { job } = context;
  const workspaceId = job.workspaceId;
  const input = row.customer;
  const key = job.matchBy === "email" ? input.emails[0]?.address : input.phones[0]?.number;
  const existingId = key ? await unit.customers.findIdByKey(workspaceId, { kind: job.matchBy, value: key }) : undefined;
  if (!existingId) {
    const id = newObjectId();
    // A row first seen as an update (its key was taken earlier in this batch by a row that then
    // failed) has partial values; the Custom Properties check for it was partial.
    const fields = newCustomerRow(input, customProperties ?? {}, job.createdBy);
    await unit.customers.insert(workspaceId, { ...fields, id });
    await unit.customers.replaceKeys(workspaceId, id, keysOf(fields as CustomerEntity));
    const customer = await unit.customers.findById(workspaceId, id);
    return { customer: customer!, created: true, changed: [] };
  }
  const current = (await unit.customers.findById(workspaceId, existingId))!;
  const next: CustomerEntity = { ...current, identities: { ...current.identities } };
  const changed = new Set<string>();
  const set = <K extends keyof CustomerEntity>(field: K, value: CustomerEntity[K], path: string) => {
    if (JSON.stringify(current[field]) !== JSON.stringify(value)) {
      next[field] = value;
      changed.add(path);
    }
  };
  if (input.firstName) set("firstName", input.firstName, "first_name");
  if (input.lastName) set("lastName", input.lastName, "last_name");
  if (input.company) set("company", input.company, "company");
  if (input.language) set("language", input.language, "language");
  if (input.country) set("country", input.country, "country");
  if (input.avatarUrl) set("avatarUrl", input.avatarUrl, "avatar_url");
  if (input.ownerId) set("ownerId", input.ownerId, "owner_id");
  if (input.lastContactAt) set("lastContactAt", input.lastContactAt, "last_contact_at");
  const newEmails = input.emails.filter((e) => !current.emails.some((c) => c.address === e.address));
  if (newEmails.length > 0) set("emails", cleanEmails([...current.emails, ...newEmails.map((e) => ({ ...e, primary: false }))], "emails"), "emails");
  const newPhones = input.phones.filter((p) => !current.phones.some((c) => c.number === p.number));
  if (newPhones.length > 0) set("phones", cleanPhones([...current.phones, ...newPhones.map((p) => ({ ...p, primary: false }))], "phones"), "phones");
  const identities = { ...current.identities };
  for (const channel of ["whatsapp", "telegram", "instagram", "messenger"] as const) if (input.identities?.[channel]) identities[channel] = input.identities[channel];
  set("identities", identities, "identities");
  if (row.customProperties && customProperties) {
    const merged = { ...current.customProperties };
    for (const [key, value] of Object.entries(customProperties)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    set("customProperties", merged, "custom_properties");
  }
  if (changed.size === 0) return { customer: current, created: false, changed: [] };
  Object.assign(next, derivedFields(next));
  await unit.customers.replaceKeys(workspaceId, existingId, keysOf(next));
  await unit.customers.update(workspaceId, existingId, next);
  const customer = (await unit.customers.findById(workspaceId, existingId))!;
  return { customer, created: false, changed: [...changed] };
}
