import { readFileSync } from "node:fs";
import { createFileRegistry, fromBinary, type DescMethod, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { descriptorSetPath } from "@velaflows/proto/descriptors";

let registry: FileRegistry | undefined;

/**
 * The registry of every proto of the platform, read once from the committed descriptor set. The
 * kit reads method options (access), field rules and event types from it, so they are declared in
 * the protos only.
 */
export function protoRegistry(): FileRegistry {
  registry ??= createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSetPath)));
  return registry;
}

/** Finds a method by its gRPC path ("/velaflows.tags.v1.TagsService/CreateTag"); throws if unknown. */
export function findMethod(grpcPath: string): DescMethod {
  const [, serviceName, methodName] = grpcPath.split("/");
  const service = protoRegistry().getService(serviceName ?? "");
  const method = service?.methods.find((m) => m.name === methodName);
  if (!method) throw new Error(`No method ${grpcPath} in the descriptor set; run "npm run gen"`);
  return method;
}
