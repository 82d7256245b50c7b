import { createDataSource } from "@velaflows/kit";
import type { DataSource } from "typeorm";
import { CreateCustomProperties1764300000300 } from "./migrations/1764300000300-create-custom-properties";
import { PropertyGroupEntity } from "./property-group.entity";
import { PropertyEntity } from "./property.entity";

/** The Custom Properties data source on its own schema, with every migration in order. */
export function createCustomPropertiesDataSource(options: { url: string; schema: string; poolSize: number }): DataSource {
  return createDataSource({
    ...options,
    applicationName: "velaflows-custom-properties",
    entities: [PropertyEntity, PropertyGroupEntity],
    migrations: [CreateCustomProperties1764300000300],
  });
}
