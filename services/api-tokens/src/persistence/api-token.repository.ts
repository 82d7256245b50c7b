import type { EntityManager } from "typeorm";
import { paginate, runSql, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { ApiTokenEntity } from "./api-token.entity";

const TOKEN_LIST: ListSpec = {
  sortable: {
    createdAt: "t.created_at",
    updatedAt: "t.updated_at",
    name: "lower(t.name)",
    // Never used sorts as the oldest use; never expiring sorts last ascending (PostgreSQL's NULLs).
    lastUsedAt: "COALESCE(t.last_used_at, to_timestamp(0))",
    expiresAt: "t.expires_at",
  },
  searchable: ["t.name", "t.prefix"],
  tieBreaker: "t.id",
};

/** What a list can be narrowed to. */
export interface TokenFilter {
  status?: "active" | "revoked" | "expired";
  environment?: string;
  /** The instant statuses are judged at. */
  now: Date;
}

// The status rules of `tokenStatus()` in SQL: revoked wins over expired.
const STATUS_CONDITIONS = {
  active: "t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > :now)",
  revoked: "t.revoked_at IS NOT NULL",
  expired: "t.revoked_at IS NULL AND t.expires_at <= :now",
} as const;

type Updatable = Partial<Pick<ApiTokenEntity, "name" | "scopes" | "tokenHash" | "prefix" | "rotatedAt" | "revokedAt" | "revokedBy">>;

/** API tokens of one workspace at a time, plus the one lookup verification needs across workspaces. */
export class ApiTokenRepository {
  private readonly base: WorkspaceRepository<ApiTokenEntity>;

  constructor(private readonly manager: EntityManager) {
    this.base = new WorkspaceRepository(ApiTokenEntity, manager);
  }

  findById(workspaceId: string, id: string): Promise<ApiTokenEntity | null> {
    return this.base.findById(workspaceId, id);
  }

  /** Reads the token and locks its row until the transaction ends, so changes to it queue up. */
  findForUpdate(workspaceId: string, id: string): Promise<ApiTokenEntity | null> {
    return this.base.query(workspaceId, "t").andWhere("t.id = :id", { id }).setLock("pessimistic_write").getOne();
  }

  insert(workspaceId: string, token: Partial<ApiTokenEntity>): Promise<ApiTokenEntity> {
    return this.base.insert(workspaceId, token);
  }

  async update(workspaceId: string, id: string, patch: Updatable): Promise<void> {
    await this.base.update(workspaceId, { id }, patch);
  }

  delete(workspaceId: string, id: string): Promise<number> {
    return this.base.delete(workspaceId, { id });
  }

  list(workspaceId: string, filter: TokenFilter, params: ListParams): Promise<{ items: ApiTokenEntity[]; pagination: Pagination }> {
    const query = this.base.query(workspaceId, "t");
    if (filter.status) query.andWhere(`(${STATUS_CONDITIONS[filter.status]})`, { now: filter.now });
    if (filter.environment) query.andWhere("t.environment = :environment", { environment: filter.environment });
    return paginate(query, params, TOKEN_LIST);
  }

  /**
   * The token with this hash, in whichever workspace: the only query not scoped by workspace,
   * because verification runs before the workspace is known. The hash is of a secret with ~206
   * random bits, so the lookup reveals nothing to a caller who does not already hold the token.
   */
  findByHash(tokenHash: string): Promise<ApiTokenEntity | null> {
    return this.manager.getRepository(ApiTokenEntity).findOneBy({ tokenHash });
  }

  /**
   * Records a use unless one was recorded in the last minute (checked in the statement, so
   * replicas racing on the same token write once). `updated_at` is left alone: a use is not an edit.
   */
  async touchLastUsed(id: string, now: Date): Promise<void> {
    await runSql(
      this.manager,
      `UPDATE "api_tokens"."api_tokens" SET "last_used_at" = $2
        WHERE "id" = $1 AND ("last_used_at" IS NULL OR "last_used_at" < $2::timestamptz - interval '1 minute')`,
      [id, now],
    );
  }
}
