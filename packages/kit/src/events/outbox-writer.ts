import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/**
 * This process, as written in the `writer` column of the outbox rows it writes: host, pid and a
 * random part (a pid is reused after a restart).
 */
export const OUTBOX_WRITER = `${hostname().slice(0, 32)}:${process.pid}:${randomBytes(4).toString("hex")}`;

/**
 * How old another process's unpublished row must be before a relay on the in-process bus ships it:
 * that process is gone (stopped or crashed before its relay ran), and its events must not be lost.
 */
export const ORPHANED_OUTBOX_ROW_SECONDS = 30;
