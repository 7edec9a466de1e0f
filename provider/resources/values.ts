// Values the portal resources share: JPEG files referenced by path and tracked by content
// hash, and the error that tells the engine an object exists although a later step failed.
// The rules for what users may declare are in rules.ts.
import { createHash } from "node:crypto";
import { readImage } from "./rules";

export { JPEG_MAGIC } from "./rules";

export interface JpegFile {
  /** Absolute path. */
  path: string;
  sha256: string;
  bytes: Buffer;
}

/** Reads a JPEG the program refers to (at most 1 MiB; relative to the program's folder, the provider's cwd). */
export function readJpeg(file: string): JpegFile {
  const { path, bytes } = readImage(file);
  return { path, bytes, sha256: sha256(bytes) };
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
