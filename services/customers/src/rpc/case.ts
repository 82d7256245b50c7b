/** "firstName" → "first_name": proto paths of ts-proto's field names. */
export function camelToSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
