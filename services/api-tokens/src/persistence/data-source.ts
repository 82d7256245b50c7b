import { createDataSource } from "@velaflows/kit";
import type { DataSource } from "typeorm";
import { ApiTokenEntity } from "./api-token.entity";
import { CreateApiTokens1764300000200 } from "./migrations/1764300000200-create-api-tokens";

/** The API Tokens data source on its own schema, with every migration in order. */
export function createApiTokensDataSource(options: { url: string; schema: string; poolSize: number }): DataSource {
  return createDataSource({
    ...options,
    applicationName: "velaflows-api-tokens",
    entities: [ApiTokenEntity],
    migrations: [CreateApiTokens1764300000200],
  });
}
