// Seeding for `npm run bench:customers`: customers written straight into the Customers schema with
// INSERT ... SELECT generate_series, with every column the service derives (name key, primaries,
// opt-out channels, search document, the uniqueness keys) computed as the service computes it.
import type { Pool } from "pg";

const FIRST_NAMES = [
  "Maria", "Mario", "Marie", "Marina", "John", "Johanna", "James", "Anna", "Anne", "Annika", "Sofia", "Sophie",
  "Lucas", "Luca", "Lukas", "Ahmed", "Aisha", "Fatima", "Mohammed", "Omar", "Wei", "Mei", "Hiroshi", "Yuki",
  "Priya", "Rahul", "Arjun", "Deepa", "Olga", "Ivan", "Dmitri", "Katarzyna", "Piotr", "Jan", "Eva", "Emma",
  "Olivia", "Liam", "Noah", "Elena", "Carlos", "Carmen", "Diego", "Gabriela", "Pedro", "Juan", "Lucia", "Isabel",
  "Thomas", "Kathrin", "Katherine", "Kate", "Michael", "Michelle", "Daniel", "Daniela", "Sarah", "Samuel", "Chloe", "Nora",
];
const LAST_NAMES = [
  "Smith", "Smithson", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Garces", "Martinez", "Rodriguez", "Hernandez",
  "Lopez", "Gonzalez", "Perez", "Silva", "Santos", "Oliveira", "Souza", "Nguyen", "Tran", "Le", "Kim", "Lee", "Park",
  "Wang", "Li", "Zhang", "Chen", "Sato", "Suzuki", "Tanaka", "Kowalski", "Kowalczyk", "Nowak", "Novak", "Muller",
  "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Rossi", "Russo", "Ferrari", "Dubois", "Martin", "Bernard",
  "Moreau", "Patel", "Sharma", "Singh", "Kumar", "Khan", "Ali", "Hassan", "Ivanov", "Petrov", "Jansen", "De Vries", "O'Brien",
];
const COMPANIES = [
  "Acme", "Globex", "Initech", "Umbrella Corp", "Stark Industries", "Wayne Enterprises", "Hooli", "Pied Piper",
  "Vandelay Industries", "Soylent", "Tyrell", "Wonka", "Cyberdyne Systems", "Aperture Science", "Gringotts",
  "Oceanic Airlines", "Massive Dynamic", "Blue Sun", "Monarch Solutions", "Northwind Traders", "Contoso", "Fabrikam",
  "Tailspin Toys", "Litware", "Adventure Works", "Wide World Importers", "Bluth Company", "Dunder Mifflin", "Prestige Worldwide", "Sterling Cooper",
];
const DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "example.com"];
// Country, its dialling code and a language, in step.
const COUNTRIES = ["US", "GB", "DE", "FR", "ES", "BR", "IN", "MX"];
const DIAL_CODES = ["1", "44", "49", "33", "34", "55", "91", "52"];
const LANGUAGES = ["en", "en", "de", "fr", "es", "pt", "hi", "es"];
const SOURCES = ["manual", "import", "whatsapp", "widget", "api"];
export const PLANS = ["free", "starter", "pro", "enterprise"];

const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ")}]::text[]`;

// An independent pseudo-random non-negative int per customer i and stream n (the same on every run).
const r = (n: number) => `(hashint8((g.i::bigint << 4) + ${n} + $5::bigint * 100000000000) & 2147483647)`;

/**
 * Customers first..last of one workspace: a name from 60 first and 60 last names, one e-mail (one in
 * ten a second), a phone for 85 % (E.164, unique) and WhatsApp on half of those, a company for 70 %,
 * 0–3 of the workspace's tags, `plan` and `ltv` custom properties for 70 %, an owner for 60 %,
 * first contact for 85 % and last contact for 80 %, consent flags, and created times spread evenly
 * over three years. Every customer's uniqueness keys (e-mails, phone, WhatsApp) go into
 * customer_keys in the same statement.
 *
 * $1 workspace, $2 its tag ids, $3..$4 the range of i, $5 the workspace's number (for ids and
 * the random streams), $6 the first created time (epoch s), $7 seconds between customers, $8 owner ids.
 */
export const SEED_CUSTOMERS_SQL = `
WITH rows AS (
  SELECT c.*,
         lower(c.fn || ' ' || c.ln) AS name_key,
         jsonb_build_array(jsonb_build_object('address', c.email1, 'primary', true, 'label', ''))
           || CASE WHEN c.email2 IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('address', c.email2, 'primary', false, 'label', 'work')) END AS emails,
         CASE WHEN c.phone IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('number', c.phone, 'primary', true, 'label', 'mobile')) END AS phones,
         CASE WHEN c.whatsapp THEN jsonb_build_object('whatsapp', c.phone) ELSE '{}'::jsonb END AS identities,
         -- derivedFields(): the words of names, company and e-mails (split where digits meet letters), then every 3+ digit suffix of the numbers.
         array_to_string(ARRAY(
           SELECT w FROM (
             SELECT w, o FROM unnest(regexp_split_to_array(lower(c.fn || ' ' || c.ln || ' ' || c.company || ' ' || c.email1 || ' ' || coalesce(c.email2, '')), '[^a-z0-9]+|(?<=[0-9])(?=[a-z])|(?<=[a-z])(?=[0-9])'))
                    WITH ORDINALITY AS u(w, o)
             UNION ALL
             SELECT substr(d, k), 1000 + k FROM (SELECT regexp_replace(coalesce(c.phone, ''), '[^0-9]', '', 'g') AS d) AS digits, generate_series(1, length(d) - 2) AS k
           ) AS words WHERE w <> '' GROUP BY w ORDER BY min(o)), ' ') AS search_document
    FROM (
      SELECT b.*,
             lower(b.fn) || '.' || lower(replace(replace(b.ln, ' ', ''), '''', '')) || b.i || '@' || (${sqlArray(DOMAINS)})[1 + b.r3 % ${DOMAINS.length}] AS email1,
             CASE WHEN b.r3 % 10 = 0 THEN lower(b.fn) || b.i || '@work.example.org' END AS email2,
             CASE WHEN b.r4 % 100 < 85 THEN '+' || (${sqlArray(DIAL_CODES)})[1 + b.r4 % ${COUNTRIES.length}] || '7' || lpad(b.i::text, 9, '0') END AS phone,
             b.r4 % 100 < 85 AND b.r4 % 2 = 0 AS whatsapp,
             CASE WHEN b.r3 % 10 < 7 THEN (${sqlArray(COMPANIES)})[1 + (b.r3 / 10) % ${COMPANIES.length}] ELSE '' END AS company,
             (${sqlArray(COUNTRIES)})[1 + b.r4 % ${COUNTRIES.length}] AS country,
             (${sqlArray(LANGUAGES)})[1 + b.r4 % ${COUNTRIES.length}] AS language,
             CASE WHEN b.r8 % 100 < 85 THEN least(b.created + (b.r8 % 864000) * interval '1 second', now()) END AS first_contact,
             CASE WHEN b.r8 % 100 < 80 THEN least(b.created + (b.r8 % 864000) * interval '1 second', now())
                  + ((b.r9 % 1000) / 1000.0) * greatest(now() - b.created - (b.r8 % 864000) * interval '1 second', interval '0') END AS last_contact
        FROM (
          SELECT g.i,
                 (${sqlArray(FIRST_NAMES)})[1 + ${r(1)} % ${FIRST_NAMES.length}] AS fn,
                 (${sqlArray(LAST_NAMES)})[1 + ${r(2)} % ${LAST_NAMES.length}] AS ln,
                 ${r(3)} AS r3, ${r(4)} AS r4, ${r(5)} AS r5, ${r(6)} AS r6, ${r(7)} AS r7, ${r(8)} AS r8, ${r(9)} AS r9,
                 to_timestamp($6::float8 + g.i * $7::float8) AS created
            FROM generate_series($3::int, $4::int) AS g(i)
        ) AS b
    ) AS c
),
inserted AS (
  INSERT INTO "customers"."customers" ("id", "workspace_id", "first_name", "last_name", "name_key", "emails", "phones", "primary_email", "primary_phone",
    "identities", "company", "language", "country", "avatar_url", "consent", "opted_out_channels", "tag_ids", "custom_properties", "owner_id", "source",
    "first_contact_at", "last_contact_at", "search_document", "created_by", "created_at", "updated_at")
  SELECT lpad(to_hex(floor(extract(epoch FROM w.created))::int), 8, '0') || lpad(to_hex($5::int), 4, '0') || lpad(to_hex(w.i), 12, '0'),
         $1, w.fn, w.ln, w.name_key, w.emails, w.phones, w.email1, w.phone, w.identities, w.company, w.language, w.country, '',
         jsonb_strip_nulls(jsonb_build_object(
           'whatsapp', CASE WHEN w.r7 % 20 = 0 THEN jsonb_build_object('optedIn', false, 'optedOut', true) END,
           'email', CASE WHEN w.r7 % 3 = 0 THEN jsonb_build_object('optedIn', true, 'optedOut', false) END)),
         CASE WHEN w.r7 % 20 = 0 THEN ARRAY['whatsapp'] ELSE '{}'::text[] END,
         ARRAY(SELECT DISTINCT t FROM unnest((ARRAY[($2::text[])[1 + (w.r5 / 4) % 20], ($2::text[])[1 + (w.r5 / 80) % 20], ($2::text[])[1 + (w.r5 / 1600) % 20]])[1:w.r5 % 4]) AS t ORDER BY 1),
         CASE WHEN w.r6 % 10 < 7 THEN jsonb_build_object('plan', (${sqlArray(PLANS)})[1 + (w.r6 / 10) % ${PLANS.length}], 'ltv', round(((w.r6 / 40) % 100000)::numeric / 100, 2)) ELSE '{}'::jsonb END,
         CASE WHEN w.r6 % 100 < 60 THEN ($8::text[])[1 + (w.r6 / 1000) % array_length($8::text[], 1)] END,
         (${sqlArray(SOURCES)})[1 + (w.r9 / 1000) % ${SOURCES.length}],
         w.first_contact, w.last_contact, w.search_document, NULL, w.created, greatest(w.created, w.last_contact)
    FROM rows AS w
  RETURNING "id", "emails", "phones", "identities"
)
INSERT INTO "customers"."customer_keys" ("workspace_id", "kind", "value", "customer_id")
SELECT $1, k.kind, k.value, ins."id"
  FROM inserted AS ins
  CROSS JOIN LATERAL (
    SELECT 'email', e ->> 'address' FROM jsonb_array_elements(ins."emails") AS e
    UNION ALL SELECT 'phone', p ->> 'number' FROM jsonb_array_elements(ins."phones") AS p
    UNION ALL SELECT 'whatsapp', ins."identities" ->> 'whatsapp' WHERE ins."identities" ? 'whatsapp'
  ) AS k(kind, value)`;

/** One workspace to seed: its tags (in the Tags service already) and owners. */
export interface SeedWorkspace {
  workspaceId: string;
  /** 0..255, distinct per workspace: part of every customer id and of the random streams. */
  number: number;
  customers: number;
  tagIds: readonly string[];
  ownerIds: readonly string[];
}

const THREE_YEARS_S = 3 * 365 * 24 * 3600;

/** Seeds one workspace's customers in batches; `onBatch` hears how many are in so far. */
export async function seedCustomers(pool: Pool, workspace: SeedWorkspace, batch: number, onBatch: (done: number) => void): Promise<void> {
  if (workspace.tagIds.length !== 20) throw new Error(`the seed expects 20 tags, got ${workspace.tagIds.length}`);
  const first = Date.now() / 1000 - THREE_YEARS_S;
  const step = THREE_YEARS_S / workspace.customers;
  for (let from = 0; from < workspace.customers; from += batch) {
    const to = Math.min(workspace.customers, from + batch) - 1;
    await pool.query(SEED_CUSTOMERS_SQL, [workspace.workspaceId, workspace.tagIds, from, to, workspace.number, first, step, workspace.ownerIds]);
    onBatch(to + 1);
  }
}

/** Every row the benchmark wrote for these workspaces, in every schema it wrote to. */
export async function deleteBenchRows(pool: Pool, workspaceIds: readonly string[]): Promise<void> {
  const statements = [
    `DELETE FROM "customers"."customer_keys" WHERE "workspace_id" = ANY($1)`,
    `DELETE FROM "customers"."timeline_entries" WHERE "workspace_id" = ANY($1)`,
    `DELETE FROM "customers"."import_jobs" WHERE "workspace_id" = ANY($1)`,
    `DELETE FROM "customers"."customers" WHERE "workspace_id" = ANY($1)`,
    `DELETE FROM "customers"."customer_totals" WHERE "workspace_id" = ANY($1)`,
    `DELETE FROM "customers"."outbox_events" WHERE "workspace_id" = ANY($1)`,
    `DELETE FROM "tags"."tags" WHERE "workspace_id" = ANY($1)`,
    `DELETE FROM "tags"."outbox_events" WHERE "workspace_id" = ANY($1)`,
    `DELETE FROM "custom_properties"."properties" WHERE "workspace_id" = ANY($1)`,
    `DELETE FROM "custom_properties"."outbox_events" WHERE "workspace_id" = ANY($1)`,
  ];
  for (const sql of statements) await pool.query(sql, [workspaceIds]);
}
