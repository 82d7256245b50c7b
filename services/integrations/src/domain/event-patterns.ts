import { eventCatalog, ValidationError, type FieldViolation } from "@velaflows/kit";

/**
 * Checks the event filters of a subscription against the catalog: "*" (every event),
 * "<service>.*" (every event of a service in the catalog) or an exact catalog type. Returns them
 * trimmed, deduplicated and sorted; throws a ValidationError naming each bad entry.
 */
export function cleanEventPatterns(events: readonly string[], path: string): string[] {
  const catalog = eventCatalog();
  const types = new Set(catalog.map((e) => e.type));
  const services = new Set(catalog.map((e) => e.service));
  const violations: FieldViolation[] = [];
  const clean = new Set<string>();
  events.forEach((raw, index) => {
    const event = raw.trim();
    const service = event.endsWith(".*") ? event.slice(0, -2) : undefined;
    if (event === "*" || types.has(event) || (service !== undefined && services.has(service))) clean.add(event);
    else if (service !== undefined && service.includes(".")) violations.push({ path: `${path}[${index}]`, message: 'patterns are "*" or "<service>.*"' });
    else if (service !== undefined) violations.push({ path: `${path}[${index}]`, message: `no service "${service}" publishes events; see GET /api/v1/integrations/events` });
    else violations.push({ path: `${path}[${index}]`, message: `unknown event type "${event}"; see GET /api/v1/integrations/events` });
  });
  if (events.length === 0) violations.push({ path, message: "must list at least one event type" });
  if (violations.length > 0) throw new ValidationError(violations);
  return [...clean].sort();
}

/** Whether a subscription's filters take an event of `type`. */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === "*" || p === type || (p.endsWith(".*") && type.startsWith(p.slice(0, -1))));
}
