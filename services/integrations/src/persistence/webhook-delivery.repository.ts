import type { EntityManager } from "typeorm";
import { paginate, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { WebhookDeliveryEntity, type DeliveryStatus } from "./webhook-delivery.entity";

const DELIVERY_LIST: ListSpec = { sortable: { createdAt: "d.created_at" }, tieBreaker: "d.id" };

/** Webhook deliveries of one workspace at a time (the worker's cross-workspace queue is DeliveryQueue). */
export class WebhookDeliveryRepository {
  private readonly base: WorkspaceRepository<WebhookDeliveryEntity>;

  constructor(manager: EntityManager) {
    this.base = new WorkspaceRepository(WebhookDeliveryEntity, manager);
  }

  findById(workspaceId: string, id: string): Promise<WebhookDeliveryEntity | null> {
    return this.base.findById(workspaceId, id);
  }

  insert(workspaceId: string, delivery: Partial<WebhookDeliveryEntity>): Promise<WebhookDeliveryEntity> {
    return this.base.insert(workspaceId, delivery);
  }

  listForSubscription(
    workspaceId: string,
    subscriptionId: string,
    filter: { status?: DeliveryStatus },
    params: ListParams,
  ): Promise<{ items: WebhookDeliveryEntity[]; pagination: Pagination }> {
    const query = this.base.query(workspaceId, "d").andWhere("d.subscription_id = :subscriptionId", { subscriptionId });
    if (filter.status) query.andWhere("d.status = :status", { status: filter.status });
    return paginate(query, params, DELIVERY_LIST);
  }
}
