import { status } from "@grpc/grpc-js";
import { ServiceError, UnauthenticatedError } from "@velaflows/kit";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwksCache,
  jwtVerify,
  type JSONWebKeySet,
  type JWKSCacheInput,
  type JWTVerifyGetKey,
} from "jose";
import type { Authenticator, Principal } from "../pipeline/principal";
import { VerifiedTokenCache, type VerifiedTokenCacheOptions } from "./verified-token-cache";

/** The signature algorithms an access token may use. Only asymmetric ones: the gateway holds no secret. */
export type JwtAlgorithm = "EdDSA" | "ES256" | "RS256";

/** Every {@link JwtAlgorithm}; the default of {@link JwtAuthenticatorOptions.algorithms}. */
export const JWT_ALGORITHMS: readonly JwtAlgorithm[] = ["EdDSA", "ES256", "RS256"];

/** How {@link createJwtAuthenticator} verifies access tokens. */
export interface JwtAuthenticatorOptions {
  /**
   * The verification keys: a JSON Web Key Set, or the http(s) URL that serves it (the Auth
   * service's JWKS endpoint). A URL's set is fetched on first use, cached, and fetched again when
   * it is older than {@link jwksCacheMaxAgeMs} or a token names a key id it does not hold.
   */
  jwks: JSONWebKeySet | URL | string | JwksLoader;
  /** The accepted `iss` value(s). Required: a token from another issuer is refused. */
  issuer: string | readonly string[];
  /** The accepted `aud` value(s); the audience is not checked when undefined. */
  audience?: string | readonly string[];
  /** The accepted algorithms, a subset of {@link JWT_ALGORITHMS}; all of them by default. */
  algorithms?: readonly JwtAlgorithm[];
  /** Allowed clock skew when checking `exp` and `nbf`, in seconds; 30 by default. */
  clockToleranceSeconds?: number;
  /** How long one JWKS fetch may take, in milliseconds; 5000 by default. */
  jwksTimeoutMs?: number;
  /** How long a fetched JWKS is used before it is fetched again, in milliseconds; 10 minutes by default. */
  jwksCacheMaxAgeMs?: number;
  /**
   * The least time between two fetches, in milliseconds; 30 s by default. An unknown `kid` (after
   * a key rotation) triggers a fetch only when the last one is older than this, so a flood of
   * tokens with made-up key ids cannot hammer the Auth service.
   */
  jwksCooldownMs?: number;
  /**
   * Verified tokens remembered, so the same token's signature is checked once per `maxAgeMs` (30 s)
   * rather than on every request; never past the token's `exp` (with the clock tolerance), and
   * never across a change of the key set. `false` checks every time.
   */
  verifiedTokenCache?: VerifiedTokenCacheOptions | false;
  /** The clock, in epoch milliseconds; `Date.now` by default (tests pass a fake one). */
  now?: () => number;
}

// Three base64url segments: header, payload, signature. Anything else (an `sk_` API token, a JWE
// with five segments) is not ours to judge.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Creates the authenticator for JWT access tokens (compact JWS) signed by the Auth service.
 *
 * It returns undefined for a credential that is not shaped like a JWT, so the next authenticator
 * can try it. A JWT that fails verification (malformed, `none` or HMAC algorithm, unknown key, bad
 * signature, expired, not yet valid, wrong issuer or audience, no `sub`) throws
 * `UnauthenticatedError` with a message safe to show. A JWKS URL that cannot be fetched throws a
 * `ServiceError` with code UNAVAILABLE (503): the caller's token may well be valid.
 *
 * The principal is `{ kind: "user", id: sub, claims }`, with the verified claims.
 */
export function createJwtAuthenticator(options: JwtAuthenticatorOptions): Authenticator {
  const settings = resolveOptions(options);
  const keys = keySet(options.jwks, settings);
  const now = options.now ?? Date.now;
  const verified = options.verifiedTokenCache === false ? undefined : new VerifiedTokenCache(options.verifiedTokenCache);
  const toleranceMs = settings.clockToleranceSeconds * 1000;
  return {
    async authenticate(credential) {
      if (!COMPACT_JWS.test(credential)) return undefined;
      const cacheKey = verified?.keyOf(credential);
      const keysBefore = keys.version();
      if (cacheKey !== undefined) {
        const known = verified!.get(cacheKey, now(), keysBefore);
        if (known) return known;
      }
      // Checked before any key lookup, so `none`/HS256 tokens never trigger a JWKS fetch.
      let algorithm: unknown;
      try {
        algorithm = decodeProtectedHeader(credential).alg;
      } catch {
        throw new UnauthenticatedError("Access token is malformed");
      }
      if (typeof algorithm !== "string" || !settings.algorithms.includes(algorithm)) {
        throw new UnauthenticatedError("Access token algorithm is not accepted");
      }
      try {
        const verifiedAt = now();
        const { payload } = await jwtVerify(credential, keys.getKey, {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms: settings.algorithms,
          clockTolerance: settings.clockToleranceSeconds,
          requiredClaims: ["sub", "exp"],
          currentDate: options.now ? new Date(verifiedAt) : undefined,
        });
        if (typeof payload.sub !== "string" || payload.sub === "") {
          throw new UnauthenticatedError("Access token has no subject");
        }
        const principal: Principal = { kind: "user", id: payload.sub, claims: Object.freeze({ ...payload }) };
        // jose refuses a token once `exp <= now - tolerance` (whole seconds): remembered until just then.
        // Not remembered when the key set changed while it was checked (which set verified it?).
        if (cacheKey !== undefined && keys.version() === keysBefore) {
          verified!.set(cacheKey, principal, verifiedAt, payload.exp! * 1000 + toleranceMs, keysBefore);
        }
        return principal;
      } catch (error) {
        throw toServiceError(error);
      }
    },
  };
}

interface JwtSettings {
  issuer: string[];
  audience: string[] | undefined;
  algorithms: string[];
  clockToleranceSeconds: number;
  jwksTimeoutMs: number;
  jwksCacheMaxAgeMs: number;
  jwksCooldownMs: number;
}

function resolveOptions(options: JwtAuthenticatorOptions): JwtSettings {
  const algorithms = [...(options.algorithms ?? JWT_ALGORITHMS)];
  if (algorithms.length === 0 || algorithms.some((alg) => !JWT_ALGORITHMS.includes(alg))) {
    throw new TypeError(`algorithms must be a non-empty subset of ${JWT_ALGORITHMS.join(", ")}`);
  }
  const issuer = typeof options.issuer === "string" ? [options.issuer] : [...options.issuer];
  if (issuer.length === 0 || issuer.includes("")) throw new TypeError("issuer is required");
  return {
    issuer,
    audience: options.audience === undefined ? undefined : typeof options.audience === "string" ? [options.audience] : [...options.audience],
    algorithms,
    clockToleranceSeconds: options.clockToleranceSeconds ?? 30,
    jwksTimeoutMs: options.jwksTimeoutMs ?? 5_000,
    jwksCacheMaxAgeMs: options.jwksCacheMaxAgeMs ?? 10 * 60_000,
    jwksCooldownMs: options.jwksCooldownMs ?? 30_000,
  };
}

/**
 * Fetches the current key set from wherever it lives (the gateway asks the Auth service over
 * gRPC). Used like a URL: cached for `jwksCacheMaxAgeMs`, fetched again on an unknown `kid` at most
 * once per `jwksCooldownMs`.
 */
export type JwksLoader = () => Promise<JSONWebKeySet>;

/**
 * Where verification keys come from. `version()` names the key set in use (the same value until it
 * is fetched again), so what was verified against one set is not trusted once another replaced it.
 */
interface KeySet {
  getKey: JWTVerifyGetKey;
  version(): unknown;
}

function keySet(jwks: JwtAuthenticatorOptions["jwks"], settings: JwtSettings): KeySet {
  if (typeof jwks === "function") return loadedKeySet(jwks, settings);
  if (typeof jwks === "string" || jwks instanceof URL) {
    const url = new URL(jwks);
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new TypeError(`jwks URL must be http(s), got ${url.protocol}`);
    }
    // jose writes each fetched set into this object (a new `jwks` object per fetch): its version.
    const fetched: JWKSCacheInput = {};
    const remote = createRemoteJWKSet(url, {
      timeoutDuration: settings.jwksTimeoutMs,
      cacheMaxAge: settings.jwksCacheMaxAgeMs,
      cooldownDuration: settings.jwksCooldownMs,
      [jwksCache]: fetched,
    });
    // Failing to get the key set is our outage, not the caller's fault: tell the two apart here.
    const getKey: JWTVerifyGetKey = async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        throw new ServiceError(status.UNAVAILABLE, "Access token keys are unavailable", {
          reason: "JWKS_UNAVAILABLE",
          cause: error,
        });
      }
    };
    return { getKey, version: () => ("jwks" in fetched ? fetched.jwks : undefined) };
  }
  assertPublicKeySet(jwks);
  const local = createLocalJWKSet(jwks);
  return { getKey: local, version: () => local };
}

function loadedKeySet(load: JwksLoader, settings: JwtSettings): KeySet {
  let current: { get: JWTVerifyGetKey; fetchedAt: number } | undefined;
  let pending: Promise<void> | undefined;
  const refresh = () =>
    (pending ??= (async () => {
      try {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no key set in ${settings.jwksTimeoutMs} ms`)), settings.jwksTimeoutMs);
        });
        const set = await Promise.race([load(), timeout]).finally(() => clearTimeout(timer));
        assertPublicKeySet(set);
        current = { get: createLocalJWKSet(set), fetchedAt: Date.now() };
      } catch (error) {
        throw new ServiceError(status.UNAVAILABLE, "Access token keys are unavailable", { reason: "JWKS_UNAVAILABLE", cause: error });
      } finally {
        pending = undefined;
      }
    })());
  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (!current || Date.now() - current.fetchedAt > settings.jwksCacheMaxAgeMs) await refresh();
    try {
      return await current!.get(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - current!.fetchedAt < settings.jwksCooldownMs) throw error;
      await refresh(); // a key rotated in since the last fetch
      return current!.get(header, token);
    }
  };
  return { getKey, version: () => current };
}

// A configured key set with a private or symmetric key is a deployment mistake: fail at start-up.
function assertPublicKeySet(jwks: JSONWebKeySet): void {
  if (!jwks || !Array.isArray(jwks.keys) || jwks.keys.length === 0) {
    throw new TypeError("jwks must be a JSON Web Key Set with at least one key");
  }
  for (const key of jwks.keys) {
    if (!["OKP", "EC", "RSA"].includes(key.kty ?? "") || "d" in key) {
      throw new TypeError(`jwks must hold only public OKP, EC or RSA keys (key ${key.kid ?? "without kid"})`);
    }
  }
}

function toServiceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error instanceof errors.JWTExpired) return new UnauthenticatedError("Access token has expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === "missing") return new UnauthenticatedError(`Access token has no "${error.claim}" claim`);
    switch (error.claim) {
      case "iss":
        return new UnauthenticatedError("Access token issuer is not accepted");
      case "aud":
        return new UnauthenticatedError("Access token audience is not accepted");
      case "nbf":
        return new UnauthenticatedError("Access token is not yet valid");
      default:
        return new UnauthenticatedError(`Access token "${error.claim}" claim is invalid`);
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new UnauthenticatedError("Access token signature is invalid");
  if (error instanceof errors.JWKSNoMatchingKey) return new UnauthenticatedError("Access token is signed with an unknown key");
  if (error instanceof errors.JWKSMultipleMatchingKeys) return new UnauthenticatedError("Access token does not name its signing key (kid)");
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new UnauthenticatedError("Access token algorithm is not accepted");
  }
  if (error instanceof errors.JOSEError) return new UnauthenticatedError("Access token is malformed");
  return ServiceError.from(error);
}
