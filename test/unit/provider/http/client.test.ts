// The shared HTTP core (provider/http/client.ts) against real servers: a tiny node:http
// server on port 0 for the edge cases, and the emulator where its faults fit. No mocks.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { z } from "zod";
import { startEmulator, type RunningEmulator } from "../../../../emulator";
import { DEFAULT_VENTUS_USER } from "../../../../emulator/ventus";
import {
  HttpClient,
  path,
  retryDecision,
  secret,
  serverMessage,
  type HttpClientOptions,
  type RetryEvent,
  type SlowCallEvent,
} from "../../../../provider/http/client";
import { ApiError, ResponseShapeError } from "../../../../provider/http/errors";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

interface TestServer {
  url: string;
  seen: Seen[];
  /** TCP connections the server accepted. */
  connections(): number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number, body: string) => void;

/** A node:http server on port 0 that records every request and lets `handler` answer. */
async function serve(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, seen.length, body);
    });
  });
  server.on("connection", () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "text/plain", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** The rejection of `p`, failing the test when it resolves. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the call to fail, it succeeded");
}

async function apiError(p: Promise<unknown>): Promise<ApiError> {
  const err = await rejection(p);
  if (!(err instanceof ApiError)) throw new Error(`expected ApiError, got ${inspect(err)}`);
  return err;
}

const servers: TestServer[] = [];
const clients: HttpClient[] = [];
let emu: RunningEmulator | undefined;

async function server(handler: Handler): Promise<TestServer> {
  const s = await serve(handler);
  servers.push(s);
  return s;
}

function client(baseUrl: string, opts: Partial<HttpClientOptions> = {}): HttpClient {
  const c = new HttpClient({ service: "axway", baseUrl, retry: { minDelayMs: 10, maxDelayMs: 200 }, ...opts });
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await emu?.stop();
  emu = undefined;
});

describe("requests", () => {
  it("sends a JSON body on GET, with content type, accept and user agent", async () => {
    const s = await server((_req, res) => json(res, 200, { ok: true }));
    const res = await client(s.url, { userAgent: "unit-test/1" }).request({
      method: "GET",
      path: "/get-tokens",
      json: { username: "u", password: "p" },
    });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ok: true });
    expect(s.seen).toHaveLength(1);
    expect(s.seen[0]!.method).toBe("GET");
    expect(JSON.parse(s.seen[0]!.body)).toEqual({ username: "u", password: "p" });
    expect(s.seen[0]!.headers["content-type"]).toBe("application/json");
    expect(s.seen[0]!.headers.accept).toBe("application/json");
    expect(s.seen[0]!.headers["user-agent"]).toBe("unit-test/1");
  });

  it("trades credentials for tokens at the emulator with a GET that has a body", async () => {
    emu = await startEmulator({ port: 0 });
    const c = client(emu.ventusAuthUrl, { service: "ventus" });
    const res = await c.request({
      method: "GET",
      path: "/get-tokens",
      json: { username: DEFAULT_VENTUS_USER.username, password: DEFAULT_VENTUS_USER.password },
      schema: z.object({ id_token: z.string(), access_token: z.string() }),
    });
    expect(res.data.id_token.split(".")).toHaveLength(3);
    expect(emu.stats().byRoute["GET /get-tokens"]).toBe(1);
  });

  it("appends the query, percent-encodes template values and keeps the base URL's path", async () => {
    const s = await server((_req, res) => json(res, 200, []));
    const c = client(`${s.url}/api/portal/v1.3/`);
    await c.request({
      method: "GET",
      path: path`/organizations/${"a b/c?d#e"}/apis`,
      query: { field: "name", op: "eq", value: "x&y", skipped: undefined },
    });
    expect(s.seen[0]!.url).toBe("/api/portal/v1.3/organizations/a%20b%2Fc%3Fd%23e/apis?field=name&op=eq&value=x%26y");
  });

  it("sends dot-only values as a path segment instead of letting URL parsing remove them", async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const c = client(s.url);
    await c.request({ method: "DELETE", path: path`/orgs/o/projects/${".."}` });
    await c.request({ method: "DELETE", path: path`/orgs/o/projects/${"."}` });
    // Unencoded, `..` would turn the call into `DELETE /orgs/o/`: another resource entirely.
    expect(s.seen.map((r) => decodeURIComponent(r.url))).toEqual(["/orgs/o/projects/..", "/orgs/o/projects/."]);
  });

  it("returns the parsed body unchecked without a schema, undefined for an empty one, bytes when binary", async () => {
    const s = await server((req, res) => {
      if (req.url === "/empty") return void res.writeHead(204).end();
      if (req.url === "/bytes") return void res.writeHead(200, { "content-type": "image/jpeg" }).end(Buffer.from([0xff, 0xd8]));
      json(res, 200, { any: ["thing"] });
    });
    const c = client(s.url);
    expect((await c.request({ method: "GET", path: "/x" })).data).toEqual({ any: ["thing"] });
    expect((await c.request({ method: "DELETE", path: "/empty" })).data).toBeUndefined();
    const bytes = await c.request<Buffer>({ method: "GET", path: "/bytes", binary: true });
    expect(Buffer.compare(bytes.data, Buffer.from([0xff, 0xd8]))).toBe(0);
  });
});

describe("errors", () => {
  it("maps a non-2xx to ApiError with service, method, path, status and the message of {errors:[{message}]}", async () => {
    const s = await server((_req, res) =>
      json(res, 404, { errors: [{ code: 102, message: "The entity could not be found." }, { message: "Really." }] }),
    );
    const err = await apiError(client(s.url).request({ method: "GET", path: path`/organizations/${"o 1"}` }));
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("ApiError");
    expect(err).toMatchObject({
      service: "axway",
      method: "GET",
      path: "/organizations/o%201",
      status: 404,
      serverMessage: "The entity could not be found.; Really.",
      fault: "client",
      isNotFound: true,
      attempts: 1,
    });
    expect(err.message).toBe("axway: GET /organizations/o%201 failed with HTTP 404: The entity could not be found.; Really.");
    expect(s.seen).toHaveLength(1);
  });

  it("takes a plain-text body as the server's message, and other JSON error spellings", async () => {
    const s = await server((req, res) => {
      if (req.url === "/text") return text(res, 400, "  bad things happened \n");
      if (req.url === "/message") return json(res, 409, { message: "resource already exists" });
      if (req.url === "/oauth") return json(res, 401, { error: "invalid_grant", error_description: "nope" });
      res.writeHead(403, { "content-length": "0" }).end();
    });
    const c = client(s.url);
    expect((await apiError(c.request({ method: "GET", path: "/text" }))).serverMessage).toBe("bad things happened");
    expect((await apiError(c.request({ method: "GET", path: "/message" }))).serverMessage).toBe("resource already exists");
    expect((await apiError(c.request({ method: "GET", path: "/oauth" }))).serverMessage).toBe("nope");
    const empty = await apiError(c.request({ method: "GET", path: "/none" }));
    expect(empty.serverMessage).toBeUndefined();
    expect(empty.message).toBe("axway: GET /none failed with HTTP 403");
    expect(serverMessage(Buffer.from("x".repeat(400)))).toBe(`${"x".repeat(300)}…`);
  });

  it("says whose fault it is: 4xx the client's, 5xx and no response the server's", async () => {
    const s = await server((req, res) => json(res, Number(req.url!.slice(1)), { errors: [{ message: "m" }] }));
    const c = client(s.url, { retry: { maxRetries: 0 } });
    for (const status of [400, 401, 403, 404, 409, 413, 429]) {
      expect((await apiError(c.request({ method: "GET", path: `/${status}` }))).fault).toBe("client");
    }
    for (const status of [500, 502, 503, 504]) {
      expect((await apiError(c.request({ method: "GET", path: `/${status}` }))).fault).toBe("server");
    }
    const refused = await apiError(client("http://127.0.0.1:1", { retry: { maxRetries: 0 } }).request({ method: "GET", path: "/" }));
    expect(refused.status).toBeUndefined();
    expect(refused.code).toBe("ECONNREFUSED");
    expect(refused.fault).toBe("server");
  });

  it("masks a secret() path segment in ApiError but sends the real value", async () => {
    const code = "REG-CODE-9f8e7d";
    const s = await server((_req, res) => json(res, 404, { errors: [{ message: "Not found" }] }));
    const err = await apiError(client(s.url).request({ method: "GET", path: path`/organizations/${"org1"}/tokens/${secret(code)}` }));
    expect(s.seen[0]!.url).toBe(`/organizations/org1/tokens/${code}`);
    expect(err.path).toBe("/organizations/org1/tokens/***");
    expect(err.message).toContain("/organizations/org1/tokens/***");
    for (const shown of [err.message, err.stack ?? "", inspect(err), JSON.stringify(err)]) expect(shown).not.toContain(code);
  });

  it("masks a secret() path segment in ResponseShapeError and in transport errors", async () => {
    const code = "REG-CODE-1a2b3c";
    const s = await server((_req, res) => json(res, 200, { token: 42 }));
    const shape = await rejection(
      client(s.url).request({ method: "GET", path: path`/tokens/${secret(code)}`, schema: z.object({ token: z.string() }) }),
    );
    expect(shape).toBeInstanceOf(ResponseShapeError);
    expect(shape.message).toContain("/tokens/***");
    const refused = await apiError(
      client("http://127.0.0.1:1", { retry: { maxRetries: 0 } }).request({ method: "GET", path: path`/tokens/${secret(code)}` }),
    );
    for (const err of [shape, refused]) {
      for (const shown of [err.message, err.stack ?? "", inspect(err), JSON.stringify(err)]) expect(shown).not.toContain(code);
    }
  });

  it("never puts the Authorization header or a password in an error", async () => {
    const token = "Bearer eyJ.very-secret-token.sig";
    const password = "hunter2-pa55word";
    const s = await server((req, res) => {
      if (req.url === "/shape") return json(res, 200, { id_token: 1 });
      json(res, 401, { errors: [{ message: "Invalid credentials" }] });
    });
    const c = client(s.url);
    const errors = [
      await rejection(
        c.request({ method: "GET", path: "/get-tokens", headers: { authorization: token }, json: { username: "u", password } }),
      ),
      await rejection(
        c.request({
          method: "GET",
          path: "/shape",
          headers: { authorization: token },
          json: { password },
          schema: z.object({ id_token: z.string() }),
        }),
      ),
      await rejection(
        client("http://127.0.0.1:1", { retry: { maxRetries: 0 } }).request({
          method: "PUT",
          path: "/x",
          headers: { authorization: token, access: token },
          json: { password },
        }),
      ),
    ];
    expect(s.seen[0]!.headers.authorization).toBe(token); // it was sent, only never reported
    for (const err of errors) {
      for (const shown of [err.message, err.stack ?? "", inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err)]) {
        expect(shown).not.toContain("very-secret-token");
        expect(shown).not.toContain(password);
      }
    }
  });
});

describe("retries", () => {
  /** Answers `status` (with extra headers) for the first `failures` hits, then 200. */
  const flaky = (failures: number, status: number, headers: Record<string, string> = {}) =>
    server((_req, res, hit) =>
      hit <= failures ? json(res, status, { errors: [{ message: `try again (${hit})` }] }, headers) : json(res, 200, { hit }),
    );

  it.each(["GET", "PUT", "DELETE"] as const)("retries %s on 503 and 429 with doubling backoff, then succeeds", async (method) => {
    const s503 = await flaky(3, 503);
    const started = Date.now();
    const res = await client(s503.url, { retry: { maxRetries: 4, minDelayMs: 40, maxDelayMs: 1000 } }).request({
      method,
      path: "/r",
      json: { name: "n" },
    });
    const elapsed = Date.now() - started;
    expect(res.data).toEqual({ hit: 4 });
    expect(s503.seen).toHaveLength(4);
    // Every attempt carries the same body.
    expect(new Set(s503.seen.map((r) => r.body))).toEqual(new Set(['{"name":"n"}']));
    // 40 + 80 + 160 ms of backoff.
    expect(elapsed).toBeGreaterThanOrEqual(270);

    const s429 = await flaky(1, 429);
    expect((await client(s429.url).request({ method, path: "/r" })).data).toEqual({ hit: 2 });
    expect(s429.seen).toHaveLength(2);
  });

  it("gives up after maxRetries with the last answer, and says how many attempts were made", async () => {
    const s = await flaky(100, 503);
    const err = await apiError(client(s.url, { retry: { maxRetries: 2, minDelayMs: 5 } }).request({ method: "GET", path: "/r" }));
    expect(s.seen).toHaveLength(3);
    expect(err).toMatchObject({ status: 503, attempts: 3, serverMessage: "try again (3)" });
    expect(err.message).toMatch(/after 3 attempts$/);
  });

  it("does not retry when maxRetries is 0", async () => {
    const s = await flaky(100, 503);
    const err = await apiError(client(s.url, { retry: { maxRetries: 0 } }).request({ method: "GET", path: "/r" }));
    expect(s.seen).toHaveLength(1);
    expect(err.attempts).toBe(1);
  });

  it("honours Retry-After", async () => {
    const s = await flaky(1, 429, { "retry-after": "1" });
    const started = Date.now();
    const res = await client(s.url, { retry: { minDelayMs: 10, maxDelayMs: 5000 } }).request({ method: "GET", path: "/r" });
    expect(res.status).toBe(200);
    expect(s.seen).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("bounds Retry-After by maxDelayMs", async () => {
    const s = await flaky(1, 503, { "retry-after": "30" });
    const started = Date.now();
    const res = await client(s.url, { retry: { minDelayMs: 10, maxDelayMs: 200 } }).request({ method: "GET", path: "/r" });
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(s.seen).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(3000);
  });

  it.each([503, 429])("retries a POST answered %i: the server did not act on it", async (status) => {
    const s = await flaky(2, status, { "retry-after": "0" });
    const res = await client(s.url).request({ method: "POST", path: "/r", json: { a: 1 } });
    expect(res.data).toEqual({ hit: 3 });
    expect(s.seen).toHaveLength(3);
  });

  it("tells onRetry which call, which attempt of how many, why and how long it waits, with secret segments masked and no query", async () => {
    const s = await flaky(2, 503, { "retry-after": "0" });
    const events: RetryEvent[] = [];
    await client(`${s.url}/api/portal/v1.3`, { retry: { maxRetries: 3, minDelayMs: 10 }, onRetry: (e) => events.push(e) }).request({
      method: "PUT",
      path: path`/organizations/o1/tokens/${secret("257690")}`,
      query: { code: "257690" },
    });
    expect(events).toEqual(
      [1, 2].map((attempt) => ({
        service: "axway",
        method: "PUT",
        path: "/api/portal/v1.3/organizations/o1/tokens/***",
        attempt,
        maxAttempts: 4,
        delayMs: 0,
        reason: "HTTP 503",
      })),
    );
  });

  it("tells onSlowCall once about a call, retries included, still running after slowCallMs; never about a quick one", async () => {
    const s = await flaky(3, 503);
    const slow: SlowCallEvent[] = [];
    const c = client(s.url, { retry: { minDelayMs: 60 }, slowCallMs: 150, onSlowCall: (e) => slow.push(e) });
    await c.request({ method: "GET", path: "/r" }); // 60 + 120 + 240 ms of backoff
    expect(slow).toEqual([{ service: "axway", method: "GET", path: "/r", attempt: expect.any(Number), elapsedMs: 150 }]);
    expect(slow[0]!.attempt).toBeGreaterThan(1); // told while retrying
    await c.request({ method: "GET", path: "/r" });
    await new Promise((r) => setTimeout(r, 200));
    expect(slow).toHaveLength(1);
  });

  it.each([500, 502, 504])("does not retry a POST answered %i, and says its outcome is unknown", async (status) => {
    const s = await flaky(100, status);
    const err = await apiError(client(s.url).request({ method: "POST", path: "/r", json: { a: 1 } }));
    expect(s.seen).toHaveLength(1);
    expect(err).toMatchObject({ status, attempts: 1, fault: "server", outcomeUnknown: true });
    expect(err.message).not.toMatch(/attempts/);
  });

  it("retries a POST whose connection was refused (nothing was sent) and counts the attempts", async () => {
    const events: RetryEvent[] = [];
    const err = await apiError(
      client("http://127.0.0.1:1", { retry: { maxRetries: 2, minDelayMs: 5 }, onRetry: (e) => events.push(e) }).request({
        method: "POST",
        path: "/r",
      }),
    );
    expect(err).toMatchObject({ code: "ECONNREFUSED", attempts: 3, outcomeUnknown: false });
    expect((err.cause as { code?: string }).code).toBe("ECONNREFUSED");
    expect(events.map((e) => [e.attempt, e.reason])).toEqual([
      [1, "ECONNREFUSED"],
      [2, "ECONNREFUSED"],
    ]);
  });

  it.each([400, 401, 404, 409])("never retries a %i", async (status) => {
    const s = await flaky(100, status);
    const err = await apiError(client(s.url).request({ method: "GET", path: "/r" }));
    expect(s.seen).toHaveLength(1);
    expect(err).toMatchObject({ status, attempts: 1 });
  });

  it("retries a GET whose connection was reset (emulator fault), not a POST", async () => {
    emu = await startEmulator({ port: 0 });
    const creds = { username: DEFAULT_VENTUS_USER.username, password: DEFAULT_VENTUS_USER.password };
    emu.injectFault({ route: "^GET /get-tokens$", reset: true, count: 2 });
    const c = client(emu.ventusAuthUrl, { service: "ventus" });
    const res = await c.request({ method: "GET", path: "/get-tokens", json: creds });
    expect(res.status).toBe(200);
    expect(emu.stats().byRoute["GET /get-tokens"]).toBe(3);

    emu.resetStats();
    emu.injectFault({ route: "^POST ", reset: true, count: 1 });
    const org = DEFAULT_VENTUS_USER.organizations[0]!;
    const err = await apiError(
      c.request({ method: "POST", path: path`/v1.0/invoke/gotham-vienna-identity/method/${org}/projects/${"p"}` }),
    );
    expect(err.status).toBeUndefined();
    expect(err.code).toMatch(/^(ECONNRESET|UND_ERR_SOCKET|EPIPE)$/);
    expect(err.attempts).toBe(1);
    expect(err.outcomeUnknown).toBe(true);
    expect(emu.stats().total).toBe(1);
  });

  it("reports a GET whose connection keeps being reset after every retry", async () => {
    emu = await startEmulator({ port: 0 });
    emu.injectFault({ route: "^GET /get-tokens$", reset: true, count: 10 });
    const c = client(emu.ventusAuthUrl, { service: "ventus", retry: { maxRetries: 2, minDelayMs: 5 } });
    const err = await apiError(c.request({ method: "GET", path: "/get-tokens", json: {} }));
    expect(emu.stats().byRoute["GET /get-tokens"]).toBe(3);
    expect(err.status).toBeUndefined();
    expect(err.code).toBeDefined();
    expect(err.attempts).toBe(3);
  });
});

describe("timeouts", () => {
  it("ends an attempt that waits too long for headers with an undici code and no status", async () => {
    emu = await startEmulator({ port: 0 });
    emu.injectFault({ route: "^GET /get-tokens$", delayMs: 1500 });
    const c = client(emu.ventusAuthUrl, { service: "ventus", timeoutMs: 150 });
    const started = Date.now();
    const err = await apiError(c.request({ method: "GET", path: "/get-tokens", json: {} }));
    expect(Date.now() - started).toBeLessThan(1400);
    expect(err.status).toBeUndefined();
    expect(err.code).toBe("UND_ERR_HEADERS_TIMEOUT");
    expect(err.fault).toBe("server");
    expect(err.message).toContain("failed without a response (UND_ERR_HEADERS_TIMEOUT)");
    // Timeouts are not retried, and the error says so.
    expect(emu.stats().byRoute["GET /get-tokens"]).toBe(1);
    expect(err.attempts).toBe(1);
    expect(err.message).not.toMatch(/attempts/);
  });
});

describe("response shape", () => {
  it("throws ResponseShapeError naming the field that does not match the schema", async () => {
    const s = await server((req, res) => {
      if (req.url === "/list")
        return json(res, 200, {
          items: [
            { id: "a", name: "x" },
            { id: "b", name: 7 },
          ],
        });
      if (req.url === "/notjson") return text(res, 200, "<html>proxy login</html>");
      json(res, 200, { id: 12, name: "x" });
    });
    const c = client(s.url);
    const Item = z.object({ id: z.string(), name: z.string() });

    const one = await rejection(c.request({ method: "GET", path: "/one", schema: Item }));
    expect(one).toBeInstanceOf(ResponseShapeError);
    expect(one).toMatchObject({ service: "axway", method: "GET", path: "/one" });
    expect((one as ResponseShapeError).issues).toMatch(/^id: /);
    expect(one.message).toContain("axway: GET /one answered with an unexpected body: id:");

    const nested = await rejection(c.request({ method: "GET", path: "/list", schema: z.object({ items: z.array(Item) }) }));
    expect((nested as ResponseShapeError).issues).toMatch(/^items\.1\.name: /);

    const html = await rejection(c.request({ method: "GET", path: "/notjson", schema: Item }));
    expect(html).toBeInstanceOf(ResponseShapeError);
    expect((html as ResponseShapeError).issues).toBe("not JSON");
  });

  it("returns what the schema parsed", async () => {
    const s = await server((_req, res) => json(res, 200, { id: "a", extra: true }));
    const res = await client(s.url).request({ method: "GET", path: "/", schema: z.object({ id: z.string() }) });
    expect(res.data).toEqual({ id: "a" });
  });
});

describe("2xx bodies that are not JSON", () => {
  it("count as no body: success without a schema or with an optional one, a shape error when one was needed", async () => {
    const s = await server((_req, res) => text(res, 200, "Project deleted"));
    const c = client(s.url);
    expect((await c.request({ method: "DELETE", path: "/p" })).data).toBeUndefined();
    expect((await c.request({ method: "PUT", path: "/p", schema: z.object({ id: z.string() }).optional() })).data).toBeUndefined();
    const err = await rejection(c.request({ method: "GET", path: "/p", schema: z.object({ id: z.string() }) }));
    expect((err as ResponseShapeError).issues).toBe("not JSON");
  });
});

describe("retryDecision", () => {
  it.each([
    ["GET", { status: 503 }, true, false],
    ["PUT", { status: 500 }, true, false],
    ["DELETE", { code: "ECONNRESET" }, true, false],
    ["GET", { code: "UND_ERR_HEADERS_TIMEOUT" }, false, false],
    ["POST", { status: 429 }, true, false],
    ["POST", { status: 503 }, true, false],
    ["POST", { status: 502 }, false, true],
    ["POST", { status: 409 }, false, false],
    ["POST", { code: "ECONNREFUSED" }, true, false],
    ["POST", { code: "UND_ERR_CONNECT_TIMEOUT" }, true, false],
    ["POST", { code: "ECONNRESET" }, false, true],
    ["POST", { code: "UND_ERR_SOCKET" }, false, true],
    ["POST", { code: "UND_ERR_HEADERS_TIMEOUT" }, false, true],
  ] as const)("%s %j: retry %s, outcome unknown %s", (method, failure, retry, outcomeUnknown) => {
    expect(retryDecision(method, failure)).toEqual({ retry, outcomeUnknown });
  });
});

describe("ok override", () => {
  it("accepts a 303 when told to, and rejects it otherwise", async () => {
    const s = await server((_req, res) =>
      res.writeHead(303, { location: "/api/portal/v1.3/currentuser", "set-cookie": "APIMANAGERSESSION=abc", "content-length": "0" }).end(),
    );
    const c = client(s.url);
    const res = await c.request({ method: "POST", path: "/login", body: "username=u&password=p", ok: (st) => st === 303 });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/api/portal/v1.3/currentuser");
    expect(res.data).toBeUndefined();
    expect(s.seen[0]!.body).toBe("username=u&password=p");

    const err = await apiError(c.request({ method: "POST", path: "/login", body: "x" }));
    expect(err.status).toBe(303);
    expect(s.seen).toHaveLength(2); // no redirect followed
  });

  it("turns a 2xx the override does not accept into an ApiError", async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const err = await apiError(client(s.url).request({ method: "GET", path: "/", ok: (st) => st === 204 }));
    expect(err.status).toBe(200);
  });
});

describe("keep-alive", () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it("reuses one connection for sequential calls, error answers included", async () => {
    const s = await server((req, res, hit) => {
      if (req.url === "/missing") return json(res, 404, { errors: [{ message: "no" }] });
      json(res, 200, { hit });
    });
    const c = client(s.url);
    for (let i = 0; i < 5; i++) {
      await c.request({ method: "GET", path: "/ok" });
      await tick(); // callers do other work between calls; see below for none
    }
    await apiError(c.request({ method: "GET", path: "/missing" }));
    await tick();
    await c.request({ method: "POST", path: "/ok", json: { a: 1 } });
    await tick();
    await c.request({ method: "GET", path: "/get-tokens", json: { username: "u", password: "p" } });
    expect(s.seen.length).toBe(8);
    expect(s.connections()).toBe(1);
  });

  it("keeps retried calls on the pool", async () => {
    // undici's RetryAgent sends the retry before the answer it replaces has released its
    // connection, so the first retry opens a second socket; both are then reused.
    const s = await server((req, res, hit) =>
      req.url === "/flaky" && hit % 2 === 1 ? json(res, 503, { errors: [{ message: "later" }] }) : json(res, 200, { hit }),
    );
    const c = client(s.url);
    for (let i = 0; i < 5; i++) {
      await c.request({ method: "PUT", path: "/flaky", json: {} });
      await tick();
    }
    expect(s.seen.length).toBe(10);
    expect(s.connections()).toBeLessThanOrEqual(2);
  });

  it("keeps back-to-back calls on a pool that does not grow with the number of calls", async () => {
    // undici marks a connection free again in a microtask after the body ends, so a call
    // sent in the same turn opens a second socket; from then on the two are reused.
    const s = await server((_req, res, hit) => json(res, 200, { hit }));
    const c = client(s.url);
    for (let i = 0; i < 20; i++) await c.request({ method: "GET", path: "/ok" });
    expect(s.seen.length).toBe(20);
    expect(s.connections()).toBeLessThanOrEqual(2);
  });

  it("sends concurrent calls over several connections", async () => {
    const s = await server((_req, res, hit) => setTimeout(() => json(res, 200, { hit }), 50));
    const c = client(s.url);
    await Promise.all(Array.from({ length: 4 }, () => c.request({ method: "GET", path: "/slow" })));
    expect(s.connections()).toBe(4);
  });
});

describe("transport guard", () => {
  test("plain http to a host that is not loopback is refused before any connection", () => {
    // .invalid never resolves (RFC 2606): nothing could be sent even if the guard failed open.
    expect(() => new HttpClient({ service: "axway", baseUrl: "http://apim.example.invalid:8075" })).toThrow(
      /axway: http:\/\/apim\.example\.invalid:8075 uses plain http:\/\/ to a host that is not loopback/,
    );
    expect(() => new HttpClient({ service: "ventus", baseUrl: "ftp://127.0.0.1" })).toThrow(/must be https:\/\//);
    expect(() => new HttpClient({ service: "ventus", baseUrl: "not a url" })).toThrow(/is not a valid URL/);
  });

  test("loopback, https and an explicit allowInsecureHttp pass", async () => {
    for (const baseUrl of ["http://127.0.0.1:1", "http://[::1]:1", "http://localhost:1", "https://apim.example.invalid"]) {
      await new HttpClient({ service: "axway", baseUrl }).close();
    }
    await new HttpClient({ service: "axway", baseUrl: "http://apim.example.invalid", allowInsecureHttp: true }).close();
  });
});
