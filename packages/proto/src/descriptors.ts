import { join } from "node:path";

/** Absolute path of the compiled descriptor set of every proto (imports and source info included). */
export const descriptorSetPath = join(__dirname, "..", "descriptors.binpb");
