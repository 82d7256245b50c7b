import { createDataSource } from "@velaflows/kit";
import type { DataSource } from "typeorm";
import { CreateTags1764300000100 } from "./migrations/1764300000100-create-tags";
import { TagAssignmentEntity } from "./tag-assignment.entity";
import { TagEntity } from "./tag.entity";

/** The Tags data source on its own schema, with every migration in order. */
export function createTagsDataSource(options: { url: string; schema: string; poolSize: number }): DataSource {
  return createDataSource({
    ...options,
    applicationName: "velaflows-tags",
    entities: [TagEntity, TagAssignmentEntity],
    migrations: [CreateTags1764300000100],
  });
}
