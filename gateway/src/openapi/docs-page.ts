import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join } from "node:path";

/** Where the docs page lives and what it shows. */
export interface DocsHandlerOptions {
  /** The URL of the OpenAPI document the page loads; default "/api/v1/openapi.json". */
  specUrl?: string;
  /** The path the page is served at, without a trailing slash; default "/docs". */
  basePath?: string;
  /** The page title; default "VelaFlows API reference". */
  title?: string;
  /**
   * Origins besides the page's own that "Try it out" may call (the document's `servers`), added to
   * the page's `connect-src`; default none.
   */
  apiOrigins?: readonly string[];
}

/** Answers the requests it owns and returns true; returns false for any other path. */
export type DocsHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** A file the page serves: from `swagger-ui-dist`, or generated from the options. */
interface Asset {
  contentType: string;
  /** Pinned package files may be cached for a day; the page and its configuration are revalidated. */
  cacheControl: string;
  load: () => Promise<Buffer>;
}

interface LoadedAsset {
  body: Buffer;
  etag: string;
}

const PACKAGE_ASSET_CACHE = "public, max-age=86400";
const PAGE_CACHE = "no-cache";

/** The swagger-ui-dist files the page uses, with their content types. Nothing else is served. */
const PACKAGE_ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "index.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
  "favicon-16x16.png": "image/png",
};

/**
 * The interactive API reference: a Swagger UI page at `basePath` (`/docs` and `/docs/`) over the
 * OpenAPI document at `specUrl`, and its assets at `basePath/<file>`. Everything comes from the
 * pinned `swagger-ui-dist` package (no CDN), and the page's configuration is a script file of its
 * own, so the page runs under a `script-src 'self'` Content-Security-Policy.
 *
 * Only the listed file names are served: any other path below `basePath` (including `..` and
 * encoded variants) is a 404, so nothing outside the package can be reached. Responses carry a
 * strong ETag (answering `If-None-Match` with 304) and Cache-Control; GET and HEAD only (405
 * otherwise). Framework-free: plug it into `node:http` (the gateway's extra handlers) or express.
 */
export function createDocsHandler(options: DocsHandlerOptions = {}): DocsHandler {
  const specUrl = options.specUrl ?? "/api/v1/openapi.json";
  const basePath = (options.basePath ?? "/docs").replace(/\/+$/, "");
  const title = options.title ?? "VelaFlows API reference";
  const distDir = dirname(require.resolve("swagger-ui-dist/package.json"));
  const contentSecurityPolicy = [
    "default-src 'none'",
    "script-src 'self'",
    // Swagger UI sets inline styles and uses data: images in its stylesheet.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...(options.apiOrigins ?? [])].join(" ")}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");

  const assets = new Map<string, Asset>();
  const page = Buffer.from(pageHtml(basePath, title));
  const initializer = Buffer.from(initializerScript(specUrl));
  assets.set("", { contentType: "text/html; charset=utf-8", cacheControl: PAGE_CACHE, load: async () => page });
  assets.set("index.html", assets.get("")!);
  assets.set("docs-initializer.js", { contentType: "text/javascript; charset=utf-8", cacheControl: PAGE_CACHE, load: async () => initializer });
  for (const [name, contentType] of Object.entries(PACKAGE_ASSETS)) {
    assets.set(name, { contentType, cacheControl: PACKAGE_ASSET_CACHE, load: () => readFile(join(distDir, name)) });
  }

  const loaded = new Map<string, Promise<LoadedAsset>>();
  const load = (name: string, asset: Asset): Promise<LoadedAsset> => {
    let entry = loaded.get(name);
    if (!entry) {
      entry = asset.load().then((body) => ({ body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` }));
      entry.catch(() => loaded.delete(name)); // a failed read is retried by the next request
      loaded.set(name, entry);
    }
    return entry;
  };

  return (req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0]!;
    if (path !== basePath && !path.startsWith(`${basePath}/`)) return false;
    const name = path === basePath ? "" : path.slice(basePath.length + 1);
    const asset = assets.get(name);
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("referrer-policy", "no-referrer");
    if (!asset) {
      send(res, 404, "text/plain; charset=utf-8", "Not found");
      return true;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      send(res, 405, "text/plain; charset=utf-8", "Method not allowed");
      return true;
    }
    load(name, asset).then(
      ({ body, etag }) => {
        res.setHeader("etag", etag);
        res.setHeader("cache-control", asset.cacheControl);
        if (asset.contentType.startsWith("text/html")) {
          res.setHeader("content-security-policy", contentSecurityPolicy);
          res.setHeader("x-frame-options", "DENY");
        }
        if (req.headers["if-none-match"]?.split(/\s*,\s*/).includes(etag)) {
          res.writeHead(304).end();
          return;
        }
        res.writeHead(200, { "content-type": asset.contentType, "content-length": body.length });
        res.end(req.method === "HEAD" ? undefined : body);
      },
      () => send(res, 500, "text/plain; charset=utf-8", "The docs assets could not be read"),
    );
    return true;
  };
}

function send(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.setHeader("cache-control", "no-store");
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) }).end(text);
}

function pageHtml(basePath: string, title: string): string {
  const asset = (name: string) => escapeHtml(`${basePath}/${name}`);
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <link rel="stylesheet" type="text/css" href="${asset("swagger-ui.css")}">
    <link rel="stylesheet" type="text/css" href="${asset("index.css")}">
    <link rel="icon" type="image/png" href="${asset("favicon-32x32.png")}" sizes="32x32">
    <link rel="icon" type="image/png" href="${asset("favicon-16x16.png")}" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${asset("swagger-ui-bundle.js")}" charset="UTF-8"></script>
    <script src="${asset("swagger-ui-standalone-preset.js")}" charset="UTF-8"></script>
    <script src="${asset("docs-initializer.js")}" charset="UTF-8"></script>
  </body>
</html>
`;
}

/** The Swagger UI configuration: no validator badge (it would call an outside service), extensions shown. */
function initializerScript(specUrl: string): string {
  return `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(specUrl).replace(/</g, "\\u003c")},
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
    validatorUrl: null,
    showExtensions: true,
    displayRequestDuration: true
  });
});
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
