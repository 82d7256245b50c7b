import { createDataSource } from "@velaflows/kit";
import type { DataSource } from "typeorm";
import { MacroEntity } from "./macro.entity";
import { CreateMacros1764300000500 } from "./migrations/1764300000500-create-macros";

/** The Macros data source on its own schema, with every migration in order. */
export function createMacrosDataSource(options: { url: string; schema: string; poolSize: number }): DataSource {
  return createDataSource({
    ...options,
    applicationName: "velaflows-macros",
    entities: [MacroEntity],
    migrations: [CreateMacros1764300000500],
  });
}
