/** Addresses are compared and stored trimmed and in lower case: "  Ana@Example.COM" is "ana@example.com". */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
