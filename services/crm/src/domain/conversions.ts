import { NotFoundError, ValidationError } from "@velaflows/kit";
import type { CrmStore } from "../persistence/crm-store";
import type { LeadEntity } from "../persistence/entities";
import { toLeadProto } from "../persistence/mappers";
import { leadConverted } from "./crm-events";
import type { CrmDependencies } from "./dependencies";
import { createLead, mustFindLead } from "./leads";

/** Creates a lead for an existing customer, copying who they are from the Customers service. */
export async function createLeadFromCustomer(
  store: CrmStore,
  deps: CrmDependencies,
  workspaceId: string,
  input: { customerId: string; pipelineId: string; stageId: string; value: string; currency: string; expectedCloseDate: string; ownerId: string; source: string; createdBy?: string },
): Promise<LeadEntity> {
  const customer = await deps.customers.getCustomer(workspaceId, input.customerId);
  if (!customer) throw new ValidationError([{ path: "customerId", message: "no such customer" }]);
  return createLead(store, deps, workspaceId, {
    firstName: customer.firstName,
    lastName: customer.lastName,
    email: customer.email,
    phone: customer.phone,
    company: customer.company,
    country: customer.country,
    ownerId: input.ownerId || customer.ownerId,
    source: input.source || "customer",
    value: input.value,
    currency: input.currency,
    expectedCloseDate: input.expectedCloseDate,
    score: 0,
    tagIds: [],
    customerId: customer.id,
    lostReason: "",
    pipelineId: input.pipelineId,
    stageId: input.stageId,
    createdBy: input.createdBy,
  });
}

/**
 * Links a lead to a customer made from it (or to the customer already holding its e-mail or
 * phone); a linked lead is returned as it is. The Customers service is called outside any
 * transaction (no database lock is held across a remote call); if another conversion linked the
 * lead meanwhile, its link wins.
 */
export async function convertLead(
  store: CrmStore,
  deps: CrmDependencies,
  workspaceId: string,
  id: string,
  actor: string | undefined,
): Promise<{ lead: LeadEntity; customerId: string; customerCreated: boolean }> {
  const lead = await mustFindLead(store.read, workspaceId, id);
  if (lead.customerId) return { lead, customerId: lead.customerId, customerCreated: false };
  const customer = await deps.customers.createCustomer(workspaceId, actor, {
    firstName: lead.firstName,
    lastName: lead.lastName,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    country: lead.country,
    ownerId: lead.ownerId ?? "",
    source: "crm",
  });
  return store.transaction(async (unit) => {
    const [current] = await unit.leads.lockByIds(workspaceId, [id]);
    if (!current) throw new NotFoundError("Lead", id);
    if (current.customerId) return { lead: current, customerId: current.customerId, customerCreated: false };
    await unit.leads.update(workspaceId, id, { customerId: customer.id });
    const converted = await mustFindLead(unit, workspaceId, id);
    await unit.publish([leadConverted(workspaceId, { lead: toLeadProto(converted), customerId: customer.id, customerCreated: customer.created })]);
    return { lead: converted, customerId: customer.id, customerCreated: customer.created };
  });
}
