import type { AuthConfig } from "../config";
import type { AuthStore } from "../persistence/auth-store";
import type { PasswordHasher } from "./passwords";
import type { SigningKeyRing } from "./signing-keys";

/** The lifetimes and token claims the domain works with. */
export type AuthSettings = Pick<
  AuthConfig,
  | "issuer"
  | "audience"
  | "accessTokenTtlSeconds"
  | "refreshTokenTtlDays"
  | "passwordResetTtlMinutes"
  | "emailVerificationTtlHours"
  | "invitationTtlDays"
  | "loginMaxFailures"
  | "loginFailureWindowSeconds"
>;

/** What the domain functions of the Auth service work with, built once in main.ts. */
export interface AuthDeps {
  store: AuthStore;
  passwords: PasswordHasher;
  keys: SigningKeyRing;
  settings: AuthSettings;
}
