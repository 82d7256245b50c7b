import type { Metadata } from "@grpc/grpc-js";
import type { PromiseClient } from "@velaflows/kit";
import type { TagsServiceClient } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import type { JsonHttpClient } from "./http-client";
import { spread } from "./list-tags";
import type { RoundsWorkload } from "./rounds";

/** The three ways of serving the same two requests that the gateway benchmark compares. */
export type VariantName = "gRPC" | "gateway" | "express";

/** Every variant, in the order of the first round. */
export const VARIANTS: readonly VariantName[] = ["gRPC", "gateway", "express"];

/** How the report names each variant: the letters. */
export const VARIANT_LABELS: Readonly<Record<VariantName, string>> = {
  gRPC: "(a) gRPC direct",
  gateway: "(b) gateway",
  express: "(c) express",
};

/** The two endpoints measured. */
export type EndpointName = "list" | "get";

/** What every variant answers, enough to check they agree: the tag ids in order, and the payload. */
export interface Answer {
  ids: string[];
  /** The ts-proto response object (gRPC) or the envelope's `data` (HTTP). */
  data: unknown;
}

/** One variant: the two calls, each as its client makes it. */
export interface TagsVariant {
  /** `GET /api/v1/tags?limit=<limit>`: the first page of the default sort. */
  list(): Promise<Answer>;
  /** `GET /api/v1/tags/{id}`. */
  get(id: string): Promise<Answer>;
}

/** One endpoint as a workload of {@link runInterleavedRounds}: request `i` is the same on every variant. */
export interface EndpointWorkload extends RoundsWorkload {
  name: EndpointName;
  /** The HTTP request, for the report: "GET /api/v1/tags?limit=20". */
  request: string;
  send(variant: TagsVariant, i: number): Promise<Answer>;
}

/**
 * The list endpoint (the same first page every time, as a UI opening the tags screen asks for it)
 * and the get endpoint (request `i` reads one of `ids`, spread over all of them).
 */
export function endpointWorkloads(ids: readonly string[], limit: number, requests: number, warmup: number): EndpointWorkload[] {
  if (ids.length === 0) throw new Error("no tags to get");
  return [
    { name: "list", request: `GET /api/v1/tags?limit=${limit}`, requests, warmup, send: (variant) => variant.list() },
    { name: "get", request: "GET /api/v1/tags/{id}", requests, warmup, send: (variant, i) => variant.get(ids[spread(i, ids.length) - 1]!) },
  ];
}

/**
 * (a) Direct: the Tags service's own gRPC API through the kit's promise client, fresh metadata
 * naming the workspace on every call, as another service calls it. The deadline is generous: the
 * client's 5 s default could fail a fixed-rate run on a saturated machine.
 */
export function grpcVariant(call: PromiseClient<TagsServiceClient>, metadataOf: () => Metadata, limit: number): TagsVariant {
  const settings = () => ({ metadata: metadataOf(), deadline: new Date(Date.now() + 60_000) });
  return {
    async list() {
      const data = await call.listTags({ page: 0, limit, search: "", sortBy: "", sortOrder: "", entityType: "" }, settings());
      return { ids: data.items.map((tag) => tag.id), data };
    },
    async get(id) {
      const data = await call.getTag({ id }, settings());
      return { ids: data.tag ? [data.tag.id] : [], data };
    },
  };
}

interface Envelope {
  success: boolean;
  data: { items?: Record<string, unknown>[]; tag?: Record<string, unknown> };
}

/**
 * (b) and (c): the REST API over HTTP with the client's headers (bearer token, `x-workspace-id`).
 * `idKey` is how the answer names a tag's id: `_id` in the gateway's proto3 JSON (the field's
 * `json_name`), `id` in the express baseline's `res.json` of the ts-proto object.
 */
export function httpVariant(client: JsonHttpClient, idKey: "_id" | "id", limit: number): TagsVariant {
  const answer = (body: unknown, tags: (data: Envelope["data"]) => Record<string, unknown>[]): Answer => {
    const envelope = body as Envelope;
    if (envelope.success !== true) throw new Error(`not a success envelope: ${JSON.stringify(body).slice(0, 300)}`);
    return { ids: tags(envelope.data).map((tag) => String(tag[idKey])), data: envelope.data };
  };
  return {
    list: async () => answer(await client.get(`/api/v1/tags?limit=${limit}`), (data) => data.items ?? []),
    get: async (id) => answer(await client.get(`/api/v1/tags/${encodeURIComponent(id)}`), (data) => (data.tag ? [data.tag] : [])),
  };
}

/** One place where two JSON answers differ: a value, or a key only one of them has. */
export interface JsonDifference {
  /** "tag.createdAt", "items[0]._id" */
  path: string;
  /** JSON of the value on each side; undefined where the key is absent. */
  left?: string;
  right?: string;
}

/**
 * Where two JSON values differ, walking objects key by key and arrays item by item: at most `max`
 * differences, in the order met.
 */
export function jsonDifferences(left: unknown, right: unknown, max = 20, path = ""): JsonDifference[] {
  const found: JsonDifference[] = [];
  const walk = (a: unknown, b: unknown, at: string) => {
    if (found.length >= max) return;
    const bothObjects = typeof a === "object" && a !== null && typeof b === "object" && b !== null;
    if (bothObjects && Array.isArray(a) === Array.isArray(b)) {
      if (Array.isArray(a) && Array.isArray(b)) {
        for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${at}[${i}]`);
        return;
      }
      const ra = a as Record<string, unknown>;
      const rb = b as Record<string, unknown>;
      for (const key of new Set([...Object.keys(ra), ...Object.keys(rb)])) walk(ra[key], rb[key], at ? `${at}.${key}` : key);
      return;
    }
    const ja = a === undefined ? undefined : JSON.stringify(a);
    const jb = b === undefined ? undefined : JSON.stringify(b);
    if (ja !== jb) found.push({ path: at, left: ja, right: jb });
  };
  walk(left, right, path);
  return found;
}
