import { requireWorkspace, type CallContext } from "@velaflows/kit";
import type { Caller } from "../domain/api-tokens";

/** The caller of a workspace-scoped RPC, from the gateway's metadata. */
export function callerOf(context: CallContext): Caller {
  return { workspaceId: requireWorkspace(context), userId: context.userId, permissions: context.permissions };
}
