import type { Metadata } from "@grpc/grpc-js";
import { findMethod, type GrpcServiceDefinition, type PromiseClient } from "@velaflows/kit";

type DeepPartial<T> = T extends Date | string | number | boolean | Buffer | undefined | null
  ? T
  : T extends readonly (infer U)[]
    ? DeepPartial<U>[]
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

/** A client whose calls take partial requests (unset fields get proto defaults) and fixed metadata. */
export type PartialClient<C> = {
  [K in keyof PromiseClient<C>]: PromiseClient<C>[K] extends (request: infer Req, ...rest: never[]) => infer Res
    ? (request?: DeepPartial<Req>) => Res
    : never;
};

/**
 * Wraps a promise client so tests write `client.createTag({ name: "VIP" })`: each request is
 * completed with the ts-proto `fromPartial` of its message (found by the method's input type in
 * `codecs`, the generated module) and sent with `metadata`.
 */
export function partialClient<C>(
  call: PromiseClient<C>,
  definition: GrpcServiceDefinition,
  codecs: Record<string, unknown>,
  metadata: Metadata,
): PartialClient<C> {
  const methods: Record<string, (request?: unknown) => Promise<unknown>> = {};
  for (const [key, spec] of Object.entries(definition)) {
    const codec = codecs[findMethod(spec.path).input.name] as { fromPartial(value: unknown): unknown };
    const send = (call as Record<string, (request: unknown, settings: { metadata: Metadata }) => Promise<unknown>>)[key]!;
    methods[key] = (request = {}) => send(codec.fromPartial(request), { metadata });
  }
  return methods as PartialClient<C>;
}
