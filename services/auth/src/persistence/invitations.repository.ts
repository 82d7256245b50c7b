import { IsNull, type EntityManager } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { paginate, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { InvitationEntity } from "./invitation.entity";

/** The states an invitation can be in; "expired" is a pending one past its expiry. */
export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

const INVITATION_LIST: ListSpec = {
  sortable: { createdAt: "i.created_at", expiresAt: "i.expires_at" },
  searchable: ["i.email"],
  tieBreaker: "i.id",
};

/** Invitations of one workspace at a time. */
export class InvitationsRepository {
  private readonly base: WorkspaceRepository<InvitationEntity>;

  constructor(private readonly manager: EntityManager) {
    this.base = new WorkspaceRepository(InvitationEntity, manager);
  }

  findById(workspaceId: string, id: string): Promise<InvitationEntity | null> {
    return this.base.findById(workspaceId, id);
  }

  /**
   * Finds an invitation by id in any workspace: only for redeeming a token, whose id part names
   * the invitation and whose secret part proves the caller received it.
   */
  findForRedemption(id: string): Promise<InvitationEntity | null> {
    return this.manager.getRepository(InvitationEntity).findOneBy({ id });
  }

  /** The invitation of `email` that is neither accepted nor revoked (it may have expired). */
  findOpenByEmail(workspaceId: string, email: string): Promise<InvitationEntity | null> {
    return this.base
      .query(workspaceId, "i")
      .andWhere("i.email = :email AND i.accepted_at IS NULL AND i.revoked_at IS NULL", { email })
      .getOne();
  }

  countOpenByRole(workspaceId: string, roleId: string, now: Date): Promise<number> {
    return this.base
      .query(workspaceId, "i")
      .andWhere("i.role_id = :roleId AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > :now", { roleId, now })
      .getCount();
  }

  insert(workspaceId: string, invitation: Partial<InvitationEntity>): Promise<InvitationEntity> {
    return this.base.insert(workspaceId, invitation);
  }

  async update(workspaceId: string, id: string, patch: QueryDeepPartialEntity<InvitationEntity>): Promise<void> {
    await this.base.update(workspaceId, { id }, patch);
  }

  /** Marks an open invitation accepted; false when it was accepted or revoked meanwhile. */
  async markAccepted(workspaceId: string, id: string, userId: string, now: Date): Promise<boolean> {
    const changed = await this.base.update(workspaceId, { id, acceptedAt: IsNull(), revokedAt: IsNull() }, { acceptedAt: now, acceptedBy: userId });
    return changed > 0;
  }

  /** Deletes the invitations that name a role (before the role itself goes). */
  deleteByRole(workspaceId: string, roleId: string): Promise<number> {
    return this.base.delete(workspaceId, { roleId });
  }

  list(workspaceId: string, filter: { status?: InvitationStatus; now: Date }, params: ListParams): Promise<{ items: InvitationEntity[]; pagination: Pagination }> {
    const query = this.base.query(workspaceId, "i");
    const { now } = filter;
    switch (filter.status) {
      case "pending":
        query.andWhere("i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > :now", { now });
        break;
      case "expired":
        query.andWhere("i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at <= :now", { now });
        break;
      case "accepted":
        query.andWhere("i.accepted_at IS NOT NULL");
        break;
      case "revoked":
        query.andWhere("i.revoked_at IS NOT NULL");
        break;
    }
    return paginate(query, params, INVITATION_LIST);
  }
}
