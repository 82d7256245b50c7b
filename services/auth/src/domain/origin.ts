/**
 * Who made a call and from where, as the gateway reported it in metadata: the basis of audit
 * entries and session records. Built by the rpc layer; the domain never reads metadata itself.
 */
export interface CallOrigin {
  /** The acting user (`x-user-id`); for an API token, the user it acts for. */
  userId?: string;
  /** The acting API token (`x-api-token-id`). */
  apiTokenId?: string;
  /** The session of the calling access token (`x-session-id`), when the gateway forwards it. */
  sessionId?: string;
  /** `x-request-id`. */
  requestId: string;
  /** The client's address (`x-client-ip`); "" when unknown. */
  ip: string;
  /** The client's user agent (`x-client-user-agent`); "" when unknown. */
  userAgent: string;
}
