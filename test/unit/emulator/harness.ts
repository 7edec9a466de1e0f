// Shared by the emulator's tests: one raw HTTP call (undici `request`, which, unlike fetch, sends
// a body with GET), and one service served alone, answered with the core's own `send`.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import type { EmulatorRequest, ServiceModule } from "../../../emulator";
import { send } from "../../../emulator/wire";

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  bytes: Buffer;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** Sent as is when a string or Buffer; a form when FormData or URLSearchParams; JSON otherwise. */
  body?: unknown;
}

async function encodeBody(body: unknown, headers: Record<string, string>): Promise<string | Buffer | undefined> {
  if (body === undefined || typeof body === "string" || Buffer.isBuffer(body)) return body;
  if (body instanceof FormData) {
    // undici's request takes only its own package's FormData: let fetch's Response encode it.
    const encoded = new Response(body);
    headers["content-type"] ??= encoded.headers.get("content-type")!;
    return Buffer.from(await encoded.arrayBuffer());
  }
  if (body instanceof URLSearchParams) {
    headers["content-type"] ??= "application/x-www-form-urlencoded";
    return body.toString();
  }
  headers["content-type"] ??= "application/json";
  return JSON.stringify(body);
}

export async function call(target: { url: string }, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const headers = { ...opts.headers };
  const body = await encodeBody(opts.body, headers);
  const res = await request(target.url + path, { method: method as "GET", headers, body });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const text = bytes.toString("utf8");
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const replyHeaders = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) replyHeaders.append(name, v);
  }
  return { status: res.statusCode, headers: replyHeaders, text, bytes, json };
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serve one ServiceModule on 127.0.0.1:0 without the core (no stats, faults nor control calls). */
export async function serveService(service: ServiceModule): Promise<Served> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const rawUrl = req.url ?? "/";
        const request: EmulatorRequest = {
          method: req.method ?? "GET",
          path: rawUrl.split("?")[0],
          query: new URL(rawUrl, "http://x").searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        if (service.route(request) === undefined) send(res, { status: 404, body: { errors: [{ code: 404, message: "No route" }] } });
        else send(res, await service.handle(request));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
