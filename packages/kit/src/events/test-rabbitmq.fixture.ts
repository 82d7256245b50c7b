// Test fixture for the RabbitMQ specs: AMQP_URL when set (CI), else a local rabbitmq-server on
// 127.0.0.1:5672 if one answers; otherwise the block is skipped, saying why.
import { execFileSync } from "node:child_process";

const LOCAL_URL = "amqp://guest:guest@127.0.0.1:5672";

/** The URL the RabbitMQ specs use, or why they are skipped. */
export function testRabbitAvailability(): { url: string } | { reason: string } {
  if (process.env.AMQP_URL) return { url: process.env.AMQP_URL };
  try {
    execFileSync("sh", ["-c", `node -e "const s=require('net').connect(5672,'127.0.0.1');s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1))"`], { timeout: 3000, stdio: "ignore" });
    return { url: LOCAL_URL };
  } catch {
    return { reason: "no AMQP_URL and no RabbitMQ answering on 127.0.0.1:5672 (Debian: apt-get install -y rabbitmq-server && rabbitmq-server -detached)" };
  }
}

/** `describe` for tests that need RabbitMQ; without one, a single skipped test names the reason. */
export function describeWithRabbit(name: string, body: (url: string) => void): void {
  const availability = testRabbitAvailability();
  if ("reason" in availability) {
    process.stderr.write(`Skipping the RabbitMQ tests: ${availability.reason}\n`);
    describe(name, () => {
      test.skip(`needs RabbitMQ: ${availability.reason}`, () => {});
    });
    return;
  }
  describe(name, () => body(availability.url));
}

/** A TCP port on loopback where nothing listens. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
