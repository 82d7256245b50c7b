import { QueryFailedError, type DataSource, type EntityManager } from "typeorm";
import { publishEvents, type DomainEvent } from "@velaflows/kit";
import { AuditLogsRepository } from "./audit-logs.repository";
import { InvitationsRepository } from "./invitations.repository";
import { LoginFailuresRepository } from "./login-failures.repository";
import { MembersRepository } from "./members.repository";
import { OneTimeTokensRepository } from "./one-time-tokens.repository";
import { RolesRepository } from "./roles.repository";
import { SessionsRepository } from "./sessions.repository";
import { SigningKeysRepository } from "./signing-keys.repository";
import { TeamsRepository } from "./teams.repository";
import { UsersRepository } from "./users.repository";
import { WorkspacesRepository } from "./workspaces.repository";

/** The repositories of one unit of work. */
export interface AuthUnit {
  users: UsersRepository;
  sessions: SessionsRepository;
  oneTimeTokens: OneTimeTokensRepository;
  signingKeys: SigningKeysRepository;
  workspaces: WorkspacesRepository;
  members: MembersRepository;
  roles: RolesRepository;
  invitations: InvitationsRepository;
  teams: TeamsRepository;
  auditLogs: AuditLogsRepository;
  loginFailures: LoginFailuresRepository;
  /** Writes events to the outbox; only inside {@link AuthStore.transaction}. */
  publish(events: readonly DomainEvent[]): Promise<void>;
}

/** The Auth service's data: reads outside a transaction, writes inside one. */
export interface AuthStore {
  read: Omit<AuthUnit, "publish">;
  /** Runs `work` in one transaction; everything it did is undone if it throws. */
  transaction<T>(work: (unit: AuthUnit) => Promise<T>): Promise<T>;
}

export function createAuthStore(dataSource: DataSource): AuthStore {
  const unitOf = (manager: EntityManager): AuthUnit => ({
    users: new UsersRepository(manager),
    sessions: new SessionsRepository(manager),
    oneTimeTokens: new OneTimeTokensRepository(manager),
    signingKeys: new SigningKeysRepository(manager),
    workspaces: new WorkspacesRepository(manager),
    members: new MembersRepository(manager),
    roles: new RolesRepository(manager),
    invitations: new InvitationsRepository(manager),
    teams: new TeamsRepository(manager),
    auditLogs: new AuditLogsRepository(manager),
    loginFailures: new LoginFailuresRepository(manager),
    publish: (events) => publishEvents(manager, events),
  });
  const { publish: _unused, ...read } = unitOf(dataSource.manager);
  return {
    read,
    async transaction(work) {
      try {
        return await dataSource.transaction((manager) => work(unitOf(manager)));
      } catch (error) {
        throw withoutParameters(error);
      }
    },
  };
}

// A failed statement carries its parameters, which the kit would log with an INTERNAL error; the
// writes of this service bind password hashes, token hashes and private keys. They never leave.
function withoutParameters(error: unknown): unknown {
  if (error instanceof QueryFailedError && error.parameters) {
    Object.defineProperty(error, "parameters", { value: error.parameters.map(() => "[redacted]"), enumerable: true });
  }
  return error;
}
