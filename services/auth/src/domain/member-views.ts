import type { AuthStore, AuthUnit } from "../persistence/auth-store";
import type { MemberEntity } from "../persistence/member.entity";
import type { RoleEntity } from "../persistence/role.entity";
import type { UserEntity } from "../persistence/user.entity";

/** A membership with the account and role it joins: what the API shows as a Member. */
export interface MemberView {
  member: MemberEntity;
  user: UserEntity;
  role: RoleEntity;
}

/** Completes members of one workspace with their users and roles, keeping their order. */
export async function memberViews(source: AuthStore["read"] | AuthUnit, workspaceId: string, members: readonly MemberEntity[]): Promise<MemberView[]> {
  const users = new Map((await source.users.findByIds(members.map((m) => m.userId))).map((u) => [u.id, u]));
  const roles = new Map((await source.roles.findByIds(workspaceId, members.map((m) => m.roleId))).map((r) => [r.id, r]));
  return members.flatMap((member) => {
    const user = users.get(member.userId);
    const role = roles.get(member.roleId);
    return user && role ? [{ member, user, role }] : [];
  });
}

/** One member's view. */
export async function memberView(source: AuthStore["read"] | AuthUnit, member: MemberEntity): Promise<MemberView> {
  const [view] = await memberViews(source, member.workspaceId, [member]);
  if (!view) throw new Error(`member ${member.userId} of ${member.workspaceId} has no user or role`);
  return view;
}
