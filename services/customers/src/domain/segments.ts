import { ConflictError, isUniqueViolation, newObjectId, NotFoundError, ValidationError, type ListParams } from "@velaflows/kit";
import type { CustomerFilter } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import type { SegmentEntity } from "../persistence/segment.entity";
import type { CustomersStore, CustomersUnit } from "../persistence/customers-store";
import { filterFromJson, filterToJson } from "../persistence/customer.mapper";
import { checkCustomPropertyFilter } from "./customers";
import type { CustomerDependencies } from "./dependencies";

export interface SegmentWithCount {
  segment: SegmentEntity;
  customerCount: number;
}

function cleanName(name: string, path: string): string {
  const cleaned = name.normalize("NFC").trim();
  if (!cleaned) throw new ValidationError([{ path, message: "is required" }]);
  return cleaned;
}

async function withCount(store: CustomersStore, workspaceId: string, segment: SegmentEntity): Promise<SegmentWithCount> {
  return { segment, customerCount: await store.read.customers.count(workspaceId, [filterFromJson(segment.filter)]) };
}

export async function createSegment(
  store: CustomersStore,
  deps: CustomerDependencies,
  workspaceId: string,
  input: { name: string; description: string; filter?: CustomerFilter },
  actor: string | null,
): Promise<SegmentWithCount> {
  const name = cleanName(input.name, "name");
  const filter = await checkCustomPropertyFilter(deps, workspaceId, input.filter);
  const segment = await store.transaction(async (unit) => {
    const id = newObjectId();
    await withUniqueName(name, () =>
      unit.segments.insert(workspaceId, { id, name, nameKey: name.toLowerCase(), description: input.description.trim(), filter: filterToJson(filter), createdBy: actor }),
    );
    return mustFindSegment(unit, workspaceId, id);
  });
  return withCount(store, workspaceId, segment);
}

export async function getSegment(store: CustomersStore, workspaceId: string, id: string): Promise<SegmentWithCount> {
  return withCount(store, workspaceId, await mustFindSegment(store.read, workspaceId, id));
}

export async function updateSegment(
  store: CustomersStore,
  deps: CustomerDependencies,
  workspaceId: string,
  id: string,
  paths: readonly string[],
  changes: { name: string; description: string; filter?: CustomerFilter },
): Promise<SegmentWithCount> {
  const top = new Set(paths.map((p) => p.split(".")[0]!));
  const unknown = [...top].filter((p) => !["name", "description", "filter"].includes(p));
  if (unknown.length > 0) throw new ValidationError([{ path: "updateMask", message: `cannot update ${unknown.join(", ")}; updatable: name, description, filter` }]);
  const filter = top.has("filter") ? await checkCustomPropertyFilter(deps, workspaceId, changes.filter, "segment.filter") : undefined;
  const segment = await store.transaction(async (unit) => {
    await mustFindSegment(unit, workspaceId, id);
    const patch: Partial<SegmentEntity> = {};
    if (top.has("name")) {
      patch.name = cleanName(changes.name, "segment.name");
      patch.nameKey = patch.name.toLowerCase();
    }
    if (top.has("description")) patch.description = changes.description.trim();
    if (top.has("filter")) patch.filter = filterToJson(filter);
    if (Object.keys(patch).length > 0) await withUniqueName(patch.name ?? "", () => unit.segments.update(workspaceId, id, patch));
    return mustFindSegment(unit, workspaceId, id);
  });
  return withCount(store, workspaceId, segment);
}

export async function deleteSegment(store: CustomersStore, workspaceId: string, id: string): Promise<void> {
  if ((await store.read.segments.delete(workspaceId, id)) === 0) throw new NotFoundError("Segment", id);
}

export async function listSegments(store: CustomersStore, workspaceId: string, params: ListParams) {
  const page = await store.read.segments.list(workspaceId, params);
  const items = [];
  for (const segment of page.items) items.push(await withCount(store, workspaceId, segment));
  return { items, pagination: page.pagination };
}

async function mustFindSegment(unit: Pick<CustomersUnit, "segments">, workspaceId: string, id: string): Promise<SegmentEntity> {
  const segment = await unit.segments.findById(workspaceId, id);
  if (!segment) throw new NotFoundError("Segment", id);
  return segment;
}

async function withUniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, "segments_workspace_name_key")) throw new ConflictError(`A segment named "${name}" already exists`, "SEGMENT_NAME_TAKEN");
    throw error;
  }
}
