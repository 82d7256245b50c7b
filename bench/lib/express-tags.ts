import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Metadata, status } from "@grpc/grpc-js";
import express, { type NextFunction, type Request, type Response } from "express";
import { MetadataKeys, ServiceError, type PromiseClient } from "@velaflows/kit";
import type { TagsServiceClient } from "@velaflows/proto/ts/velaflows/tags/v1/tags";

/** The hand-written express app, listening. */
export interface RunningExpressTags {
  /** "http://127.0.0.1:port" */
  url: string;
  stop(): Promise<void>;
}

/**
 * The baseline a user would write instead of the gateway: an express 5 app with `express.json()`
 * and two async routes that call the Tags service through the kit's promise client, pass the
 * caller's `x-workspace-id` on as metadata, and answer `{ success: true, data }` with `res.json`:
 * the ts-proto response object as `JSON.stringify` renders it (ts-proto field names, so `id`
 * where the gateway's proto3 JSON says `_id`; `Date`s as `toJSON` writes them). It does no
 * authentication, authorization, rate limiting or validation: it is the floor the gateway's
 * whole pipeline is compared with.
 */
export async function startExpressTags(call: PromiseClient<TagsServiceClient>, host = "127.0.0.1"): Promise<RunningExpressTags> {
  const app = express();
  app.use(express.json());

  const metadataOf = (req: Request) => {
    const metadata = new Metadata();
    metadata.set(MetadataKeys.workspaceId, req.header("x-workspace-id") ?? "");
    return metadata;
  };

  app.get("/api/v1/tags", async (req, res) => {
    const query = req.query as Record<string, string | undefined>;
    const data = await call.listTags(
      {
        page: Number(query.page ?? 1),
        limit: Number(query.limit ?? 20),
        search: query.search ?? "",
        sortBy: query.sortBy ?? "",
        sortOrder: query.sortOrder ?? "",
        entityType: query.entityType ?? "",
      },
      { metadata: metadataOf(req) },
    );
    res.json({ success: true, data });
  });

  app.get("/api/v1/tags/:id", async (req, res) => {
    const data = await call.getTag({ id: req.params.id }, { metadata: metadataOf(req) });
    res.json({ success: true, data });
  });

  // Express 5 hands rejected async handlers here; the envelope, as a user would add it.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const notFound = error instanceof ServiceError && error.code === status.NOT_FOUND;
    res.status(notFound ? 404 : 500).json({ success: false, error: { code: notFound ? "NOT_FOUND" : "INTERNAL_ERROR", message: String(error) } });
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(0, host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  // As the gateway does: idle keep-alive connections outlive the pauses between benchmark runs.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
