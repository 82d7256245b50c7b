import type { EntityManager } from "typeorm";
import { paginate, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { WebhookSubscriptionEntity } from "./webhook-subscription.entity";

const SUBSCRIPTION_LIST: ListSpec = {
  sortable: { createdAt: "s.created_at", updatedAt: "s.updated_at", url: "s.url" },
  searchable: ["s.url"],
  tieBreaker: "s.id",
};

export type SubscriptionPatch = Partial<Pick<WebhookSubscriptionEntity, "url" | "events" | "active" | "deactivatedReason" | "failingSince">>;

/** Webhook subscriptions of one workspace at a time. */
export class WebhookSubscriptionRepository {
  private readonly base: WorkspaceRepository<WebhookSubscriptionEntity>;

  constructor(private readonly manager: EntityManager) {
    this.base = new WorkspaceRepository(WebhookSubscriptionEntity, manager);
  }

  findById(workspaceId: string, id: string): Promise<WebhookSubscriptionEntity | null> {
    return this.base.findById(workspaceId, id);
  }

  insert(workspaceId: string, subscription: Partial<WebhookSubscriptionEntity>): Promise<WebhookSubscriptionEntity> {
    return this.base.insert(workspaceId, subscription);
  }

  async update(workspaceId: string, id: string, patch: SubscriptionPatch): Promise<void> {
    await this.base.update(workspaceId, { id }, patch);
  }

  delete(workspaceId: string, id: string): Promise<number> {
    return this.base.delete(workspaceId, { id });
  }

  count(workspaceId: string): Promise<number> {
    return this.base.count(workspaceId);
  }

  /** The active subscriptions of the workspace: the candidates for each of its events. */
  active(workspaceId: string): Promise<WebhookSubscriptionEntity[]> {
    return this.base.find(workspaceId, { active: true });
  }

  list(workspaceId: string, filter: { active?: boolean }, params: ListParams): Promise<{ items: WebhookSubscriptionEntity[]; pagination: Pagination }> {
    const query = this.base.query(workspaceId, "s");
    if (filter.active !== undefined) query.andWhere("s.active = :active", { active: filter.active });
    return paginate(query, params, SUBSCRIPTION_LIST);
  }

  /**
   * Serialises subscription creation in one workspace until the transaction ends, so two
   * concurrent creations cannot both pass the per-workspace limit.
   */
  async lockWorkspace(workspaceId: string): Promise<void> {
    await this.manager.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`velaflows.integrations.subscriptions.${workspaceId}`]);
  }
}
