// The wire between node:http and the services: reading a request body, writing an answer,
// and the `{"errors":[{"code","message"}]}` shape of the core's own errors.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorResponse } from "./types";

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export function errorBody(status: number, message: string): { errors: Array<{ code: number; message: string }> } {
  return { errors: [{ code: status, message }] };
}

/** Rejects with `status` 413 beyond MAX_BODY_BYTES. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error("request body too large"), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Writes a service's answer: a Buffer as is, a string as text, anything else as JSON. */
export function send(res: ServerResponse, response: EmulatorResponse): void {
  const headers: Record<string, string | string[]> = {};
  let payload: Buffer | undefined;
  if (Buffer.isBuffer(response.body)) {
    payload = response.body;
    headers["content-type"] = "application/octet-stream";
  } else if (typeof response.body === "string") {
    payload = Buffer.from(response.body, "utf8");
    headers["content-type"] = "text/plain; charset=utf-8";
  } else if (response.body !== undefined) {
    payload = Buffer.from(JSON.stringify(response.body), "utf8");
    headers["content-type"] = "application/json";
  }
  for (const [k, v] of Object.entries(response.headers ?? {})) headers[k.toLowerCase()] = v;
  headers["content-length"] = String(payload?.length ?? 0);
  res.writeHead(response.status, headers);
  res.end(payload);
}
