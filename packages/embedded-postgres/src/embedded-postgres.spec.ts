import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { Client, Pool } from "pg";

// PGlite cannot load inside jest's module sandbox, so the server under test runs in a child
// process started the way `npm run db` starts it.
let child: ChildProcess;
let url: string;

beforeAll(async () => {
  const root = join(__dirname, "..", "..", "..");
  child = spawn(join(root, "node_modules", ".bin", "tsx"), ["--conditions=@velaflows/source", join(__dirname, "serve.ts")], {
    env: { ...process.env, EMBEDDED_POSTGRES_PORT: "0", VELAFLOWS_DATA_DIR: "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("embedded PostgreSQL did not start in 30 s")), 30_000);
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code) => reject(new Error(`embedded PostgreSQL exited with ${code}`)));
  });
  const setup = new Client({ connectionString: url });
  await setup.connect();
  await setup.query("CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL)");
  await setup.end();
}, 40_000);

afterAll(async () => {
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
});

test("concurrent parameterised queries on many connections each get their own answer", async () => {
  const pool = new Pool({ connectionString: url, max: 8 });
  try {
    // Parameterised queries use the extended protocol (Parse/Bind/Execute/Sync); interleaving
    // them between connections is what breaks naive multiplexing over PGlite's one session.
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => pool.query<{ n: number; s: string }>("SELECT $1::int AS n, $2::text AS s", [i, `v${i}`])),
    );
    answers.forEach((answer, i) => expect(answer.rows).toEqual([{ n: i, s: `v${i}` }]));
  } finally {
    await pool.end();
  }
});

test("a transaction is isolated from concurrent statements and a rollback undoes only its own work", async () => {
  const pool = new Pool({ connectionString: url, max: 4 });
  const tx = await pool.connect();
  try {
    await tx.query("BEGIN");
    await tx.query("INSERT INTO items VALUES ($1, $2)", [1, "rolled back"]);
    const outside = pool.query("INSERT INTO items VALUES ($1, $2)", [2, "committed"]);
    await tx.query("INSERT INTO items VALUES ($1, $2)", [3, "rolled back too"]);
    await tx.query("ROLLBACK");
    await outside;
    const { rows } = await pool.query("SELECT id, label FROM items ORDER BY id");
    expect(rows).toEqual([{ id: 2, label: "committed" }]);
  } finally {
    tx.release();
    await pool.end();
  }
});

test("a client that disconnects inside a transaction does not block the others", async () => {
  const quitter = new Client({ connectionString: url });
  quitter.on("error", () => undefined); // its connection is cut on purpose below
  await quitter.connect();
  await quitter.query("BEGIN");
  await quitter.query("INSERT INTO items VALUES ($1, $2)", [10, "abandoned"]);
  (quitter as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();

  const other = new Client({ connectionString: url });
  await other.connect();
  try {
    const { rows } = await other.query("SELECT count(*)::int AS n FROM items WHERE id = $1", [10]);
    expect(rows).toEqual([{ n: 0 }]);
  } finally {
    await other.end();
  }
});

test("a failing statement answers an error and the connection stays usable", async () => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await expect(client.query("INSERT INTO items VALUES ($1, $2)", [20, null])).rejects.toMatchObject({ code: "23502" });
    expect((await client.query("SELECT $1::int AS n", [7])).rows).toEqual([{ n: 7 }]);
  } finally {
    await client.end();
  }
});
