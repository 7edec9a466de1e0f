// A registration code's resource id: what state, import ids, reports and the drift command's
// record of listings hold instead of the code. Its own file, with no dependencies, so that the
// drift command can name codes without loading the clients.
import { createHash } from "node:crypto";

/** The resource id of a registration code: stable, and reveals nothing of the code (ids are kept in plain text). */
export function registrationCodeId(token: string): string {
  return `regcode-${createHash("sha256").update(token).digest("hex").slice(0, 20)}`;
}
