import { randomBytes } from "node:crypto";

// Layout of a MongoDB ObjectId: 4 bytes of Unix seconds, 5 random bytes fixed per process, and a
// 3-byte counter starting at a random value. Ids therefore sort by creation time (to the second),
// never collide within a process, and are unique across processes with overwhelming probability.
const processUnique = randomBytes(5).toString("hex");
let counter = randomBytes(3).readUIntBE(0, 3);

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** Returns a new 24-hex, time-ordered id, the form of every VelaFlows `_id`. */
export function newObjectId(now: Date = new Date()): string {
  counter = (counter + 1) % 0x1000000;
  const seconds = Math.floor(now.getTime() / 1000) >>> 0;
  return seconds.toString(16).padStart(8, "0") + processUnique + counter.toString(16).padStart(6, "0");
}

/** True when `value` is a 24-hex lower-case id. */
export function isObjectId(value: string): boolean {
  return OBJECT_ID.test(value);
}

/** The creation time encoded in an id (to the second). */
export function objectIdTime(id: string): Date {
  return new Date(parseInt(id.slice(0, 8), 16) * 1000);
}
