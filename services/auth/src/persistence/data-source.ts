import { createDataSource } from "@velaflows/kit";
import type { DataSource } from "typeorm";
import { AuditLogEntity } from "./audit-log.entity";
import { InvitationEntity } from "./invitation.entity";
import { MemberEntity } from "./member.entity";
import { CreateAuth1764400000100 } from "./migrations/1764400000100-create-auth";
import { CreateLoginFailures1764400000200 } from "./migrations/1764400000200-create-login-failures";
import { OneTimeTokenEntity } from "./one-time-token.entity";
import { RefreshTokenEntity } from "./refresh-token.entity";
import { RoleEntity } from "./role.entity";
import { SessionEntity } from "./session.entity";
import { SigningKeyEntity } from "./signing-key.entity";
import { TeamMemberEntity } from "./team-member.entity";
import { TeamEntity } from "./team.entity";
import { UserEntity } from "./user.entity";
import { WorkspaceRecordEntity } from "./workspace-record.entity";

/** The Auth data source on its own schema, with every migration in order. */
export function createAuthDataSource(options: { url: string; schema: string; poolSize: number }): DataSource {
  return createDataSource({
    ...options,
    applicationName: "velaflows-auth",
    entities: [
      UserEntity,
      SessionEntity,
      RefreshTokenEntity,
      OneTimeTokenEntity,
      SigningKeyEntity,
      WorkspaceRecordEntity,
      RoleEntity,
      MemberEntity,
      InvitationEntity,
      TeamEntity,
      TeamMemberEntity,
      AuditLogEntity,
    ],
    migrations: [CreateAuth1764400000100, CreateLoginFailures1764400000200],
  });
}
