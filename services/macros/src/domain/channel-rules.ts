import type { RenderContext, ResolvedAction } from "./macros";

/** WhatsApp Business accepts free-form messages only this long after the customer last wrote. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Why a plan cannot be sent as it is on the conversation's channel, or undefined. Only what the
 * context tells is judged: without `conversation.lastCustomerMessageAt` the window is unknown and
 * the Inbox (which knows the messages) has the last word.
 */
export function channelRefusal(context: RenderContext, actions: readonly ResolvedAction[], now: Date): string | undefined {
  const conversation = context.conversation ?? {};
  if (conversation.channel !== "whatsapp" || !actions.some((a) => a.type === "send_reply")) return undefined;
  const last = typeof conversation.lastCustomerMessageAt === "string" ? Date.parse(conversation.lastCustomerMessageAt) : NaN;
  if (Number.isNaN(last) || now.getTime() - last <= WHATSAPP_WINDOW_MS) return undefined;
  return "the customer last wrote more than 24 hours ago: WhatsApp accepts only approved templates outside that window";
}
