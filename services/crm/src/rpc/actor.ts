/** Who acts: the user, else the API token. */
export function actorOf(context: { userId?: string; apiTokenId?: string }): string | undefined {
  return context.userId ?? context.apiTokenId;
}
