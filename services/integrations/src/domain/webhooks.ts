import { BadRequestError, FailedPreconditionError, NotFoundError, ValidationError, newObjectId, type ListParams } from "@velaflows/kit";
import type { IntegrationsStore, IntegrationsUnit } from "../persistence/integrations-store";
import type { WebhookSubscriptionEntity, SubscriptionSource } from "../persistence/webhook-subscription.entity";
import type { SubscriptionPatch } from "../persistence/webhook-subscription.repository";
import { cleanEventPatterns } from "./event-patterns";
import { webhookCreated, webhookDeleted } from "./integration-events";
import { newSigningSecret } from "./signing";
import { checkTargetUrl, type TargetPolicy } from "./target-guard";

/** The rules subscriptions are made under. */
export interface SubscriptionRules {
  policy: TargetPolicy;
  maxSubscriptionsPerWorkspace: number;
}

export interface NewSubscription {
  url: string;
  events: readonly string[];
  secret: string;
  source: SubscriptionSource;
  createdBy?: string;
}

const MIN_SECRET_LENGTH = 16;

/** Creates a subscription; the secret is generated when empty. Paths name the request's fields. */
export async function createSubscription(
  store: IntegrationsStore,
  rules: SubscriptionRules,
  workspaceId: string,
  input: NewSubscription,
  paths: { url: string; events: string } = { url: "url", events: "events" },
): Promise<WebhookSubscriptionEntity> {
  const events = cleanEventPatterns(input.events, paths.events);
  const url = await checkTargetUrl(input.url, rules.policy, paths.url);
  const secret = input.secret.trim();
  if (secret !== "" && [...secret].length < MIN_SECRET_LENGTH) {
    throw new ValidationError([{ path: "secret", message: `must be at least ${MIN_SECRET_LENGTH} characters` }]);
  }
  return store.transaction(async (unit) => {
    await unit.subscriptions.lockWorkspace(workspaceId);
    if ((await unit.subscriptions.count(workspaceId)) >= rules.maxSubscriptionsPerWorkspace) {
      throw new BadRequestError(`A workspace can have at most ${rules.maxSubscriptionsPerWorkspace} webhook subscriptions`, "WEBHOOK_LIMIT_REACHED");
    }
    const subscription = await unit.subscriptions.insert(workspaceId, {
      id: newObjectId(),
      url,
      events,
      secret: secret || newSigningSecret(),
      active: true,
      source: input.source,
      deactivatedReason: null,
      failingSince: null,
      createdBy: input.createdBy ?? null,
    });
    const saved = await mustFind(unit, workspaceId, subscription.id);
    await unit.publish([webhookCreated(workspaceId, { subscriptionId: saved.id, url: saved.url, events: saved.events, source: saved.source })]);
    return saved;
  });
}

export async function getSubscription(store: IntegrationsStore, workspaceId: string, id: string): Promise<WebhookSubscriptionEntity> {
  return mustFind(store.read, workspaceId, id);
}

export function listSubscriptions(store: IntegrationsStore, workspaceId: string, filter: { active?: boolean }, params: ListParams) {
  return store.read.subscriptions.list(workspaceId, filter, params);
}

/** The fields of a subscription that can be updated, by their proto paths. */
export const UPDATABLE_SUBSCRIPTION_FIELDS = ["url", "events", "active"] as const;
export type UpdatableSubscriptionField = (typeof UPDATABLE_SUBSCRIPTION_FIELDS)[number];

/**
 * Applies the named fields. Turning a subscription on again clears why it was deactivated and its
 * failure streak, so it gets a fresh 24 hours.
 */
export async function updateSubscription(
  store: IntegrationsStore,
  rules: SubscriptionRules,
  workspaceId: string,
  id: string,
  fields: readonly UpdatableSubscriptionField[],
  changes: { url: string; events: readonly string[]; active: boolean },
): Promise<WebhookSubscriptionEntity> {
  const patch: SubscriptionPatch = {};
  if (fields.includes("url")) patch.url = await checkTargetUrl(changes.url, rules.policy, "subscription.url");
  if (fields.includes("events")) patch.events = cleanEventPatterns(changes.events, "subscription.events");
  return store.transaction(async (unit) => {
    const current = await mustFind(unit, workspaceId, id);
    if (fields.includes("active") && changes.active !== current.active) {
      Object.assign(patch, changes.active ? { active: true, deactivatedReason: null, failingSince: null } : { active: false });
    }
    if (Object.keys(patch).length === 0) return current;
    await unit.subscriptions.update(workspaceId, id, patch);
    return mustFind(unit, workspaceId, id);
  });
}

/** Deletes a subscription and its deliveries; `source` restricts it to one REST-hook provider. */
export async function deleteSubscription(store: IntegrationsStore, workspaceId: string, id: string, source?: SubscriptionSource): Promise<void> {
  await store.transaction(async (unit) => {
    const subscription = await mustFind(unit, workspaceId, id);
    if (source && subscription.source !== source) throw new NotFoundError("WebhookSubscription", id);
    await unit.subscriptions.delete(workspaceId, id);
    await unit.publish([webhookDeleted(workspaceId, { subscriptionId: id, url: subscription.url })]);
  });
}

/** Why a subscription cannot take a manual delivery now, if it cannot. */
export function assertActive(subscription: WebhookSubscriptionEntity): void {
  if (!subscription.active) {
    throw new FailedPreconditionError(
      `The subscription is inactive${subscription.deactivatedReason ? ` (${subscription.deactivatedReason})` : ""}; activate it with PATCH {"active": true}`,
      "WEBHOOK_INACTIVE",
    );
  }
}

export async function mustFind(unit: Pick<IntegrationsUnit, "subscriptions">, workspaceId: string, id: string): Promise<WebhookSubscriptionEntity> {
  const subscription = await unit.subscriptions.findById(workspaceId, id);
  if (!subscription) throw new NotFoundError("WebhookSubscription", id);
  return subscription;
}
