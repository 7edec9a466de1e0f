// Input value rules shared by the portal resources: times given as a Date, an ISO string
// or epoch milliseconds; JPEG files referenced by path and tracked by content hash; and
// the error that tells the engine an object exists although a later step failed.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

/** A point in time as users write it (ISO string or epoch ms; the SDK turns a Date into ISO), kept as epoch ms. */
export const epochMillis = (field: string) =>
  z.union([z.number(), z.string()], { error: `${field} must be a Date, an ISO 8601 string or epoch milliseconds` }).transform((v, ctx) => {
    const ms = typeof v === "number" ? v : /^\d+$/.test(v.trim()) ? Number(v) : Date.parse(v);
    if (!Number.isFinite(ms) || !Number.isInteger(ms) || ms < 0) {
      ctx.addIssue({ code: "custom", message: `${field} must be a Date, an ISO 8601 string or epoch milliseconds (got ${JSON.stringify(v)})` });
      return z.NEVER;
    }
    return ms;
  });

export const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

export interface JpegFile {
  /** Absolute path. */
  path: string;
  sha256: string;
  bytes: Buffer;
}

/** Reads a JPEG the program refers to; relative paths are from the program's folder (the provider's cwd). */
export function readJpeg(file: string): JpegFile {
  const abs = path.resolve(file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === "ENOENT" ? `no such file: ${file}` : `cannot read ${file} (${code})`);
  }
  if (bytes.length < 3 || !bytes.subarray(0, 3).equals(JPEG_MAGIC)) {
    throw new Error(`${file} is not a JPEG file (the portal takes JPEG images only)`);
  }
  return { path: abs, bytes, sha256: sha256(bytes) };
}

export function sha256(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * An error after the object was created: the dynamic provider turns `id` and `properties`
 * into ErrorResourceInitFailed, so the engine keeps the object in state (nothing is left
 * orphaned) and the next `pulumi up` finishes the job with an update.
 */
export class PartialCreateError extends Error {
  readonly reasons: string[];
  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    cause: Error,
  ) {
    super(`created ${id}, but a later step failed: ${cause.message}`);
    this.reasons = [cause.message];
  }
}
