import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDocsHandler } from "./docs-page";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let server: Server;
let port: number;

// Raw paths, exactly as written: node's request() does not normalise "..".
function get(path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  const docs = createDocsHandler({ specUrl: "/api/v1/openapi.json", basePath: "/docs" });
  server = createServer((req, res) => {
    if (docs(req, res)) return;
    res.writeHead(418).end("not the docs");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("createDocsHandler", () => {
  test.each(["/docs", "/docs/", "/docs/index.html", "/docs?tag=Tags"])("serves the page at %s", async (path) => {
    const reply = await get(path);
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(reply.headers["cache-control"]).toBe("no-cache");
    expect(reply.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(reply.body).toContain('<div id="swagger-ui"></div>');
    expect(reply.body).toContain('<script src="/docs/swagger-ui-bundle.js"');
    expect(reply.body).toContain('<link rel="stylesheet" type="text/css" href="/docs/swagger-ui.css">');
    expect(reply.body).not.toMatch(/https?:\/\//); // nothing from a CDN
  });

  test("points Swagger UI at the spec URL from its own script (no inline script)", async () => {
    const page = await get("/docs");
    expect(page.body).not.toMatch(/<script>/);
    const script = await get("/docs/docs-initializer.js");
    expect(script.status).toBe(200);
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.body).toContain('url: "/api/v1/openapi.json"');
    expect(script.body).toContain("validatorUrl: null");
  });

  test.each([
    ["/docs/swagger-ui-bundle.js", "text/javascript; charset=utf-8", "SwaggerUIBundle"],
    ["/docs/swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8", "SwaggerUIStandalonePreset"],
    ["/docs/swagger-ui.css", "text/css; charset=utf-8", ".swagger-ui"],
    ["/docs/favicon-32x32.png", "image/png", "PNG"],
    ["/docs/favicon-16x16.png", "image/png", "PNG"],
  ])("serves %s from swagger-ui-dist as %s, with an ETag and a cache lifetime", async (path, contentType, marker) => {
    const reply = await get(path);
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe(contentType);
    expect(reply.headers["cache-control"]).toBe("public, max-age=86400");
    expect(reply.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(Number(reply.headers["content-length"])).toBeGreaterThan(100);
    expect(reply.body).toContain(marker);
  });

  test("answers a matching If-None-Match with 304 and HEAD without a body", async () => {
    const first = await get("/docs/swagger-ui-bundle.js");
    const revalidated = await get("/docs/swagger-ui-bundle.js", { headers: { "if-none-match": first.headers.etag as string } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body).toBe("");
    const head = await get("/docs/swagger-ui.css", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(Number(head.headers["content-length"])).toBeGreaterThan(1000);
  });

  test.each([
    "/docs/../package.json",
    "/docs/..%2Fpackage.json",
    "/docs/%2e%2e/%2e%2e/package.json",
    "/docs/package.json",
    "/docs/swagger-ui-bundle.js.map",
    "/docs/oauth2-redirect.html",
    "/docs//etc/passwd",
  ])("refuses %s with 404", async (path) => {
    const reply = await get(path);
    expect(reply.status).toBe(404);
    expect(reply.body).toBe("Not found");
  });

  test("allows only GET and HEAD", async () => {
    const reply = await get("/docs", { method: "POST" });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe("GET, HEAD");
  });

  test.each(["/", "/docsx", "/api/v1/openapi.json", "/documents/docs"])("leaves %s to the next handler", async (path) => {
    expect((await get(path)).status).toBe(418);
  });

  test("escapes the title and the spec URL", async () => {
    const handler = createDocsHandler({ specUrl: '/spec.json?a="</script>', basePath: "/reference/", title: "<b>API</b>" });
    const s = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
    const previous = port;
    port = (s.address() as AddressInfo).port;
    try {
      expect((await get("/reference")).body).toContain("<title>&lt;b&gt;API&lt;/b&gt;</title>");
      expect((await get("/reference/docs-initializer.js")).body).toContain('url: "/spec.json?a=\\"\\u003c/script>"');
    } finally {
      port = previous;
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  });
});
