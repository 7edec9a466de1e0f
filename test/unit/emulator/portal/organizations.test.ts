// Tests of the Axway API Manager portal emulator (emulator/portal.ts) over real HTTP:
// the service is wrapped in a tiny node:http server on port 0 that answers with the core's
// own `send`, and called with fetch; the tests keep the service object for snapshot/restore.
import {
  createPortalService,
  PORTAL_BASE,
  PORTAL_ROUTES,
  stableUuid,
  type PortalOptions,
  type PortalSnapshot,
} from "../../../../emulator/portal";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { send } from "../../../../emulator/server";
import type { EmulatorRequest, EmulatorResponse, ServiceModule } from "../../../../emulator/types";

interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serve one ServiceModule on 127.0.0.1:0, answering with the core's `send`. */
async function serve(service: ServiceModule): Promise<Served> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://x");
        const rawPath = (req.url ?? "/").split("?")[0];
        const request: EmulatorRequest = {
          method: req.method ?? "GET",
          path: rawPath,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        let response: EmulatorResponse;
        if (service.route(request) === undefined) response = { status: 404, body: { errors: [{ code: 404, message: "No route" }] } };
        else response = await service.handle(request);
        send(res, response);
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

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  bytes: Buffer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

interface CallOptions {
  auth?: string;
  headers?: Record<string, string>;
  /** JSON body unless it is a string, Buffer, FormData or URLSearchParams. */
  body?: unknown;
}

function caller(baseUrl: string, defaultAuth?: string) {
  return async (method: string, path: string, options: CallOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...options.headers };
    const auth = options.auth ?? defaultAuth;
    if (auth && !("cookie" in headers)) headers.authorization = auth;
    let body: RequestInit["body"];
    const b = options.body;
    if (b === undefined) body = undefined;
    else if (typeof b === "string" || b instanceof FormData || b instanceof URLSearchParams) body = b;
    else if (Buffer.isBuffer(b)) body = new Uint8Array(b);
    else {
      body = JSON.stringify(b);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body, redirect: "manual" });
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString("utf8");
    let json: unknown;
    if ((res.headers.get("content-type") ?? "").includes("json") && text !== "") json = JSON.parse(text);
    return { status: res.status, headers: res.headers, text, bytes, json };
  };
}

// ---- Swagger checker ------------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = Record<string, any>;

// Axway API Manager v1.3 Swagger as Axway ships it (apigateway/samples/swagger/; public copy in
// cbrowet-axway/APIM_sdk, April 2020), kept with the tests so that a clone alone runs them.
const SWAGGER_PATH = path.resolve(__dirname, "../../../data/api-manager-V_1_3-swagger.json");

let swagger: { definitions: Record<string, Schema> } | undefined;
function swaggerDefinitions(): Record<string, Schema> {
  swagger ??= JSON.parse(readFileSync(SWAGGER_PATH, "utf8")) as { definitions: Record<string, Schema> };
  return swagger.definitions;
}

/**
 * Problems of `value` against Swagger definition `name`: wrong types (int32/int64 included),
 * missing required properties, properties outside the definition unless listed in `extras`
 * (e.g. `skypeId`, which the seed shows for Organization). `null` is accepted for any
 * property: Swagger 2.0 cannot say "nullable", and the seed's own example has `"dn": null`.
 */
function swaggerProblems(name: string, value: unknown, extras: readonly string[] = []): string[] {
  const defs = swaggerDefinitions();
  const problems: string[] = [];
  const check = (schema: Schema, v: unknown, where: string, allowed: readonly string[]): void => {
    if (schema.$ref) {
      const ref = String(schema.$ref).replace("#/definitions/", "");
      const target = defs[ref];
      if (!target) return void problems.push(`${where}: unknown $ref ${schema.$ref}`);
      return check(target, v, where, []);
    }
    if (v === null) return;
    const type = schema.type ?? (schema.properties || schema.additionalProperties ? "object" : undefined);
    switch (type) {
      case "object": {
        if (typeof v !== "object" || Array.isArray(v)) return void problems.push(`${where}: expected object`);
        const obj = v as Record<string, unknown>;
        for (const req of (schema.required as string[] | undefined) ?? []) {
          if (!(req in obj)) problems.push(`${where}.${req}: required property missing`);
        }
        for (const [key, val] of Object.entries(obj)) {
          const prop = schema.properties?.[key];
          if (prop) check(prop, val, `${where}.${key}`, []);
          else if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
            check(schema.additionalProperties, val, `${where}.${key}`, []);
          } else if (!allowed.includes(key)) problems.push(`${where}.${key}: not in the definition`);
        }
        return;
      }
      case "array":
        if (!Array.isArray(v)) return void problems.push(`${where}: expected array`);
        v.forEach((item, i) => check(schema.items ?? {}, item, `${where}[${i}]`, []));
        return;
      case "string":
        if (typeof v !== "string") problems.push(`${where}: expected string, got ${typeof v}`);
        return;
      case "boolean":
        if (typeof v !== "boolean") problems.push(`${where}: expected boolean, got ${typeof v}`);
        return;
      case "number":
        if (typeof v !== "number") problems.push(`${where}: expected number, got ${typeof v}`);
        return;
      case "integer": {
        if (typeof v !== "number" || !Number.isInteger(v)) return void problems.push(`${where}: expected integer`);
        if (schema.format === "int32" && (v < -(2 ** 31) || v >= 2 ** 31)) problems.push(`${where}: outside int32`);
        if (schema.format === "int64" && !Number.isSafeInteger(v)) problems.push(`${where}: outside int64 (safe)`);
        return;
      }
      default:
        return;
    }
  };
  const root = defs[name];
  if (!root) return [`no definition ${name}`];
  check(root, value, name, extras);
  return problems;
}

/** A small valid-looking JPEG (SOI, APP0 JFIF, filler, EOI). */
function jpeg(size = 64, fill = 0x42): Buffer {
  const body = Buffer.alloc(Math.max(size, 8), fill);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(body, 0);
  body[body.length - 2] = 0xff;
  body[body.length - 1] = 0xd9;
  return body;
}

// ---- the tests ------------------------------------------------------------------------

const ADMIN = basic("apiadmin", "changeme");
const ORGADMIN = basic("orgadmin", "orgadmin-password");
const P = PORTAL_BASE;
const NOT_FOUND = { errors: [{ code: 102, message: "The entity could not be found.  Please refresh your session." }] };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Harness {
  service: ReturnType<typeof createPortalService>;
  served: Served;
  call: ReturnType<typeof caller>;
  clock: { t: number };
  changes: { n: number };
}

const open: Served[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function harness(options?: PortalOptions, start = 1_700_000_000_000): Promise<Harness> {
  const clock = { t: start };
  const changes = { n: 0 };
  const service = createPortalService({ now: () => clock.t, changed: () => void changes.n++ }, options);
  const served = await serve(service);
  open.push(served);
  return { service, served, call: caller(served.url, ADMIN), clock, changes };
}

async function createOrg(h: Harness, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await h.call("POST", `${P}/organizations`, { body });
  expect(r.status).toBe(201);
  return r.json as Record<string, unknown>;
}

function seededOrgId(): string {
  return stableUuid("organization", "Seeded Partner");
}

describe("portal emulator: routing", () => {
  test("route() claims only /api/portal/v1.3 paths and names templates", async () => {
    const h = await harness();
    const req = (method: string, path: string) => ({ method, path, query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) });
    expect(h.service.route(req("GET", "/v1.0/invoke/x"))).toBeUndefined();
    expect(h.service.route(req("GET", "/api/portal/v1.2/organizations"))).toBeUndefined();
    expect(h.service.route(req("GET", `${P}/organizations`))).toBe(`GET ${P}/organizations`);
    expect(h.service.route(req("GET", `${P}/organizations/abc/tokens/123456`))).toBe(`GET ${P}/organizations/{id}/tokens/{token}`);
    expect(h.service.route(req("GET", `${P}/organizations/abc/tokens/`))).toBe(`GET ${P}/organizations/{id}/tokens`);
    expect(h.service.route(req("POST", `${P}/organizations/abc/image/`))).toBe(`POST ${P}/organizations/{id}/image`);
    expect(h.service.route(req("PUT", `${P}/organizations/a/apis/b`))).toBe(`PUT ${P}/organizations/{id}/apis/{apiAccessId}`);
    expect(h.service.route(req("GET", `${P}/nothing/here`))).toBe(`GET ${P}/*`);
    expect(PORTAL_ROUTES).toContain(`DELETE ${P}/organizations/{id}/tokens/{token}`);
    expect(PORTAL_ROUTES).toHaveLength(20);
  });

  test("unknown path → 404, wrong method → 405 with Allow", async () => {
    const h = await harness();
    const missing = await h.call("GET", `${P}/nothing`);
    expect(missing.status).toBe(404);
    expect(missing.json.errors[0].code).toBe(404);
    const wrong = await h.call("PATCH", `${P}/organizations`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, POST");
  });

  test("describe() lists credentials and frontend APIs", async () => {
    const h = await harness();
    const lines = h.service.describe();
    expect(lines).toContain("portal API admin: apiadmin / changeme");
    expect(lines).toContain('portal org admin of "Seeded Partner": orgadmin / orgadmin-password');
    expect(lines).toContain(`portal frontend API "Petstore": ${stableUuid("proxy", "Petstore")}`);
  });
});

describe("portal emulator: authentication", () => {
  test("no credentials or bad ones → 401 with WWW-Authenticate", async () => {
    const h = await harness();
    for (const auth of ["", basic("apiadmin", "wrong"), basic("nobody", "x"), "Basic !!!"]) {
      const r = await h.call("GET", `${P}/organizations`, { auth, headers: auth ? {} : { cookie: "x=y" } });
      expect(r.status).toBe(401);
      expect(r.headers.get("www-authenticate")).toBe('Basic realm="API Manager"');
      expect(r.json.errors[0].code).toBe(401);
    }
    const bogusSession = await h.call("GET", `${P}/currentuser`, { headers: { cookie: "APIMANAGERSESSION=forged" } });
    expect(bogusSession.status).toBe(401);
  });

  test("Basic auth: GET /currentuser answers the Swagger User", async () => {
    const h = await harness();
    const r = await h.call("GET", `${P}/currentuser`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ loginName: "apiadmin", role: "admin", enabled: true, id: stableUuid("user", "apiadmin") });
    expect(r.json.password).toBeUndefined();
    expect(r.headers.get("csrf-token")).toBeNull();
    const o = await h.call("GET", `${P}/currentuser`, { auth: ORGADMIN });
    expect(o.json).toMatchObject({ loginName: "orgadmin", role: "oadmin", organizationId: seededOrgId() });
  });

  test("session flow: login → cookie → currentuser CSRF-Token → CSRF required on writes → logout", async () => {
    const h = await harness();
    const form = new URLSearchParams({ username: "apiadmin", password: "changeme" });
    const login = await h.call("POST", `${P}/login`, { auth: "", body: form });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/home");
    const setCookie = login.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^APIMANAGERSESSION=[^;]+; Path=\/; HttpOnly$/);
    const cookie = setCookie[0].split(";")[0];

    const me = await h.call("GET", `${P}/currentuser`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.json.loginName).toBe("apiadmin");
    const csrf = me.headers.get("csrf-token");
    expect(csrf).toMatch(/^[0-9a-f]{48}$/);

    // GETs need no CSRF token.
    expect((await h.call("GET", `${P}/organizations`, { headers: { cookie } })).status).toBe(200);
    // Writes without it, or with a wrong one, are refused and change nothing.
    const noCsrf = await h.call("POST", `${P}/organizations`, { headers: { cookie }, body: { name: "Via Session" } });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.json.errors[0]).toEqual({ code: 403, message: "Missing or invalid CSRF-Token header" });
    const badCsrf = await h.call("POST", `${P}/organizations`, { headers: { cookie, "CSRF-Token": "0".repeat(48) }, body: { name: "Via Session" } });
    expect(badCsrf.status).toBe(403);
    expect(h.changes.n).toBe(0);
    const ok = await h.call("POST", `${P}/organizations`, { headers: { cookie, "CSRF-Token": csrf! }, body: { name: "Via Session" } });
    expect(ok.status).toBe(201);
    expect(ok.json.name).toBe("Via Session");

    expect((await h.call("DELETE", `${P}/login`, { headers: { cookie } })).status).toBe(403);
    const logout = await h.call("DELETE", `${P}/login`, { headers: { cookie, "CSRF-Token": csrf! } });
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie()[0]).toMatch(/^APIMANAGERSESSION=; .*Max-Age=0/);
    const after = await h.call("GET", `${P}/currentuser`, { headers: { cookie } });
    expect(after.status).toBe(401);
  });

  test("login: bad credentials → 401 JSON, or a 303 to `failure`; `success` sets Location; multipart accepted", async () => {
    const h = await harness();
    const bad = await h.call("POST", `${P}/login`, { auth: "", body: new URLSearchParams({ username: "apiadmin", password: "nope" }) });
    expect(bad.status).toBe(401);
    expect(bad.json.errors[0].code).toBe(401);
    expect(bad.headers.getSetCookie()).toEqual([]);
    const redirected = await h.call("POST", `${P}/login`, {
      auth: "",
      body: new URLSearchParams({ username: "x", password: "y", failure: "/login-failed" }),
    });
    expect(redirected.status).toBe(303);
    expect(redirected.headers.get("location")).toBe("/login-failed");
    const fd = new FormData();
    fd.set("username", "orgadmin");
    fd.set("password", "orgadmin-password");
    fd.set("success", "/portal");
    const multi = await h.call("POST", `${P}/login`, { auth: "", body: fd });
    expect(multi.status).toBe(303);
    expect(multi.headers.get("location")).toBe("/portal");
    const cookie = multi.headers.getSetCookie()[0].split(";")[0];
    const me = await h.call("GET", `${P}/currentuser`, { headers: { cookie } });
    expect(me.json.role).toBe("oadmin");
  });

  test("custom users from options", async () => {
    const h = await harness({ admin: { loginName: "root", password: "pw" }, orgAdmin: { loginName: "oa", password: "oapw" }, seededOrganization: "Acme" });
    expect((await h.call("GET", `${P}/currentuser`)).status).toBe(401);
    expect((await h.call("GET", `${P}/currentuser`, { auth: basic("root", "pw") })).json.role).toBe("admin");
    const list = await h.call("GET", `${P}/organizations`, { auth: basic("oa", "oapw") });
    expect(list.json.map((o: { name: string }) => o.name)).toEqual(["Acme"]);
  });
});

describe("portal emulator: organizations CRUD", () => {
  test("create sets server fields and defaults; GET reads it back", async () => {
    const h = await harness();
    h.clock.t = 1_710_000_000_123;
    const r = await h.call("POST", `${P}/organizations`, {
      body: { name: "Acme Corporation", description: "Road runner supplies", email: "support@acmecorp.com", phone: "+1 877", id: "forged", createdOn: 1, dn: "x", image: "y", custom: 1 },
    });
    expect(r.status).toBe(201);
    expect(r.headers.get("location")).toBe(`${P}/organizations/${r.json.id}`);
    expect(r.json).toEqual({
      id: expect.stringMatching(UUID),
      name: "Acme Corporation",
      description: "Road runner supplies",
      email: "support@acmecorp.com",
      phone: "+1 877",
      image: null,
      restricted: false,
      enabled: true,
      development: false,
      dn: "o=Acme Corporation,ou=organizations,ou=APIPortal",
      createdOn: 1_710_000_000_123,
      isTrial: false,
    });
    expect(r.json.id).not.toBe("forged");
    expect(h.changes.n).toBe(1);
    const got = await h.call("GET", `${P}/organizations/${r.json.id}`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(r.json);
    expect(h.changes.n).toBe(1);
  });

  test("create keeps given flags and trial fields", async () => {
    const h = await harness();
    const org = await createOrg(h, {
      name: "Trial Co", enabled: false, development: true, restricted: true, isTrial: true,
      trialDuration: "30", startTrialDate: 1_700_000_000_000, endTrialDate: 1_702_592_000_000, virtualHost: "trial.example", skypeId: "trial_co",
    });
    expect(org).toMatchObject({ enabled: false, development: true, restricted: true, isTrial: true, trialDuration: 30, startTrialDate: 1_700_000_000_000, endTrialDate: 1_702_592_000_000, virtualHost: "trial.example", skypeId: "trial_co" });
  });

  test("create validation: name required, types checked, JSON parsed → 400", async () => {
    const h = await harness();
    for (const body of [{}, { name: "" }, { name: "   " }, { name: 5 }, { name: "X", enabled: "yes" }, { name: "X", trialDuration: "ten" }, { name: "X", email: 3 }, ["name"]]) {
      const r = await h.call("POST", `${P}/organizations`, { body });
      expect(r.status).toBe(400);
      expect(r.json.errors[0].code).toBe(400);
    }
    const bad = await h.call("POST", `${P}/organizations`, { body: "{not json", headers: { "content-type": "application/json" } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].message).toMatch(/JSON/);
    const empty = await h.call("POST", `${P}/organizations`);
    expect(empty.status).toBe(400);
    expect(h.changes.n).toBe(0);
  });

  test("duplicate name → 409 resource already exists (create and rename)", async () => {
    const h = await harness();
    await createOrg(h, { name: "Dup" });
    const other = await createOrg(h, { name: "Other" });
    const r = await h.call("POST", `${P}/organizations`, { body: { name: "Dup" } });
    expect(r.status).toBe(409);
    expect(r.json).toEqual({ errors: [{ code: 409, message: "resource already exists" }] });
    const clash = await h.call("PUT", `${P}/organizations/${other.id}`, { body: { name: "Seeded Partner" } });
    expect(clash.status).toBe(409);
    expect(clash.json).toEqual({ errors: [{ code: 409, message: "resource already exists" }] });
  });

  test("PUT replaces writable fields, keeps id/createdOn/image, dn follows the name", async () => {
    const h = await harness();
    const org = await createOrg(h, { name: "Before", description: "d", email: "a@b.c", phone: "1", enabled: false });
    h.clock.t += 5000;
    const put = await h.call("PUT", `${P}/organizations/${org.id}`, {
      body: { ...org, id: "other", createdOn: 5, dn: "forged", image: "forged", name: "After", email: "new@b.c", phone: undefined, description: null },
    });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({
      id: org.id,
      name: "After",
      email: "new@b.c",
      image: null,
      restricted: false,
      enabled: false,
      development: false,
      dn: "o=After,ou=organizations,ou=APIPortal",
      createdOn: org.createdOn,
      isTrial: false,
    });
    // Full replace: what the body leaves out goes back to its default.
    const reset = await h.call("PUT", `${P}/organizations/${org.id}`, { body: { name: "After" } });
    expect(reset.json.enabled).toBe(true);
    expect(reset.json.email).toBeUndefined();
    // Keeping its own name is not a conflict.
    expect((await h.call("PUT", `${P}/organizations/${org.id}`, { body: { name: "After" } })).status).toBe(200);
    expect((await h.call("PUT", `${P}/organizations/${org.id}`, { body: { description: "no name" } })).status).toBe(400);
  });

  test("GET/PUT/DELETE of an unknown organization → 404 code 102", async () => {
    const h = await harness();
    for (const [method, body] of [["GET"], ["PUT", { name: "x" }], ["DELETE"]] as const) {
      const r = await h.call(method, `${P}/organizations/00000000-0000-0000-0000-000000000000`, { body });
      expect(r.status).toBe(404);
      expect(r.json).toEqual(NOT_FOUND);
    }
  });

  test("DELETE → 204, then the organization is gone; the list follows", async () => {
    const h = await harness();
    const org = await createOrg(h, { name: "Short Lived" });
    expect((await h.call("GET", `${P}/organizations`)).json).toHaveLength(2);
    const del = await h.call("DELETE", `${P}/organizations/${org.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expect((await h.call("GET", `${P}/organizations/${org.id}`)).status).toBe(404);
    expect((await h.call("DELETE", `${P}/organizations/${org.id}`)).status).toBe(404);
    const names = (await h.call("GET", `${P}/organizations/`)).json.map((o: { name: string }) => o.name);
    expect(names).toEqual(["Seeded Partner"]);
  });

  test("DELETE cascades to API access, registration codes, image and users", async () => {
    const h = await harness();
    const orgId = seededOrgId();
    const apiId = stableUuid("proxy", "Weather");
    expect((await h.call("POST", `${P}/organizations/${orgId}/apis`, { body: { apiId } })).status).toBe(201);
    expect((await h.call("POST", `${P}/organizations/${orgId}/tokens`, { body: { userQuota: 3, expiry: 1 } })).status).toBe(201);
    const fd = new FormData();
    fd.set("file", new Blob([new Uint8Array(jpeg())], { type: "image/jpeg" }), "logo.jpg");
    expect((await h.call("POST", `${P}/organizations/${orgId}/image`, { body: fd })).status).toBe(204);
    const other = await createOrg(h, { name: "Survivor" });
    expect((await h.call("POST", `${P}/organizations/${other.id}/apis`, { body: { apiId } })).status).toBe(201);
    expect((await h.call("GET", `${P}/currentuser`, { auth: ORGADMIN })).status).toBe(200);

    expect((await h.call("DELETE", `${P}/organizations/${orgId}`)).status).toBe(204);
    const state = h.service.snapshot() as PortalSnapshot;
    expect(state.organizations.map((o) => o.name)).toEqual(["Survivor"]);
    expect(state.grants.map((g) => g.organizationId)).toEqual([other.id]);
    expect(state.tokens).toEqual([]);
    expect(state.images).toEqual({});
    expect(state.users.map((u) => u.loginName)).toEqual(["apiadmin"]);
    expect((await h.call("GET", `${P}/currentuser`, { auth: ORGADMIN })).status).toBe(401);
    expect((await h.call("GET", `${P}/organizations?field=apiid&op=eq&value=${apiId}`)).json.map((o: { id: string }) => o.id)).toEqual([other.id]);
  });
});

describe("portal emulator: organization list filters", () => {
  async function fixture(): Promise<{ h: Harness; ids: Record<string, string> }> {
    const h = await harness(undefined, 1000);
    const ids: Record<string, string> = { "Seeded Partner": seededOrgId() };
    const rows: Array<Record<string, unknown>> = [
      { name: "Alpha Inc", description: "Makes alphabet soup", email: "info@alpha.test", phone: "+41 1", enabled: true },
      { name: "Beta LLC", description: "Beta testing", email: "beta@beta.test", phone: "+43 2", enabled: false },
      { name: "Gamma AG", email: "hello@gamma.test", enabled: true },
      { name: "delta gmbh", description: "lower case", phone: "+41 3", enabled: false },
    ];
    for (const [i, row] of rows.entries()) {
      h.clock.t = 2000 + i * 1000; // createdOn 2000, 3000, 4000, 5000; the seeded one 1000
      ids[row.name as string] = (await createOrg(h, row)).id as string;
    }
    return { h, ids };
  }

  async function names(h: Harness, query: string): Promise<string[]> {
    const r = await h.call("GET", `${P}/organizations?${query}`);
    expect(r.status).toBe(200);
    return (r.json as Array<{ name: string }>).map((o) => o.name).sort();
  }

  test("no filter: everything; eq and ne", async () => {
    const { h } = await fixture();
    expect(await names(h, "")).toEqual(["Alpha Inc", "Beta LLC", "Gamma AG", "Seeded Partner", "delta gmbh"]);
    expect(await names(h, "field=name&op=eq&value=Beta%20LLC")).toEqual(["Beta LLC"]);
    expect(await names(h, "field=name&op=eq&value=beta%20llc")).toEqual([]); // eq is exact
    expect(await names(h, "field=name&op=ne&value=Beta%20LLC")).toEqual(["Alpha Inc", "Gamma AG", "Seeded Partner", "delta gmbh"]);
    // An organization without a description is "not equal" to any description.
    expect(await names(h, "field=description&op=ne&value=Beta%20testing")).toEqual(["Alpha Inc", "Gamma AG", "Seeded Partner", "delta gmbh"]);
  });

  test("createdOn: gt lt ge le gete (numeric)", async () => {
    const { h } = await fixture();
    expect(await names(h, "field=createdOn&op=gt&value=3000")).toEqual(["Gamma AG", "delta gmbh"]);
    expect(await names(h, "field=createdOn&op=lt&value=3000")).toEqual(["Alpha Inc", "Seeded Partner"]);
    expect(await names(h, "field=createdOn&op=ge&value=3000")).toEqual(["Beta LLC", "Gamma AG", "delta gmbh"]);
    expect(await names(h, "field=createdOn&op=le&value=3000")).toEqual(["Alpha Inc", "Beta LLC", "Seeded Partner"]);
    expect(await names(h, "field=createdOn&op=gete&value=2000,4000")).toEqual(["Alpha Inc", "Beta LLC", "Gamma AG"]);
    expect(await names(h, "field=createdOn&op=gete&value=2001,2999")).toEqual([]);
    expect(await names(h, "field=createdon&op=EQ&value=5000")).toEqual(["delta gmbh"]); // names and ops case-insensitive
    expect(await names(h, "field=createdOn&op=gele&value=4000,5000")).toEqual(["Gamma AG", "delta gmbh"]); // Swagger's spelling
  });

  test("string comparisons and gete on names", async () => {
    const { h } = await fixture();
    expect(await names(h, "field=name&op=gt&value=Beta%20LLC")).toEqual(["Gamma AG", "Seeded Partner", "delta gmbh"]);
    expect(await names(h, "field=name&op=lt&value=Beta")).toEqual(["Alpha Inc"]);
    expect(await names(h, "field=name&op=gete&value=B,H")).toEqual(["Beta LLC", "Gamma AG"]);
  });

  test("like: case-insensitive substring, * and % wildcards", async () => {
    const { h } = await fixture();
    expect(await names(h, "field=name&op=like&value=GM")).toEqual(["delta gmbh"]);
    expect(await names(h, "field=name&op=like&value=A A")).toEqual(["Gamma AG"]);
    expect(await names(h, "field=name&op=like&value=*a")).toEqual([]); // anchored with a wildcard
    expect(await names(h, "field=name&op=like&value=*AG")).toEqual(["Gamma AG"]);
    expect(await names(h, "field=name&op=like&value=d%25h")).toEqual(["delta gmbh"]); // d%h
    expect(await names(h, "field=email&op=like&value=.test")).toEqual(["Alpha Inc", "Beta LLC", "Gamma AG"]);
    expect(await names(h, "field=description&op=like&value=SOUP")).toEqual(["Alpha Inc"]);
    expect(await names(h, "field=phone&op=like&value=%2B41*")).toEqual(["Alpha Inc", "Seeded Partner", "delta gmbh"]); // the seeded one has +41 44…
  });

  test("enabled: enabled / disabled", async () => {
    const { h } = await fixture();
    expect(await names(h, "field=enabled&op=eq&value=disabled")).toEqual(["Beta LLC", "delta gmbh"]);
    expect(await names(h, "field=enabled&op=eq&value=enabled")).toEqual(["Alpha Inc", "Gamma AG", "Seeded Partner"]);
    expect(await names(h, "field=enabled&op=ne&value=enabled")).toEqual(["Beta LLC", "delta gmbh"]);
  });

  test("several filters: AND by default, lop=OR", async () => {
    const { h } = await fixture();
    // The seed's example: name eq … AND enabled eq disabled.
    expect(await names(h, "field=name&op=eq&value=Beta%20LLC&field=enabled&op=eq&value=disabled")).toEqual(["Beta LLC"]);
    expect(await names(h, "field=name&op=eq&value=Alpha%20Inc&field=enabled&op=eq&value=disabled")).toEqual([]);
    expect(await names(h, "field=name&op=eq&value=Alpha%20Inc&field=enabled&op=eq&value=disabled&lop=AND")).toEqual([]);
    expect(await names(h, "field=name&op=eq&value=Alpha%20Inc&field=enabled&op=eq&value=disabled&lop=OR")).toEqual(["Alpha Inc", "Beta LLC", "delta gmbh"]);
    expect(await names(h, "lop=or&field=phone&op=like&value=%2B43&field=createdOn&op=lt&value=2000")).toEqual(["Beta LLC", "Seeded Partner"]);
  });

  test("apiid: organizations that may use an API", async () => {
    const { h, ids } = await fixture();
    const petstore = stableUuid("proxy", "Petstore");
    const weather = stableUuid("proxy", "Weather");
    await h.call("POST", `${P}/organizations/${ids["Alpha Inc"]}/apis`, { body: { apiId: petstore } });
    await h.call("POST", `${P}/organizations/${ids["Gamma AG"]}/apis`, { body: { apiId: petstore } });
    await h.call("POST", `${P}/organizations/${ids["Gamma AG"]}/apis`, { body: { apiId: weather } });
    expect(await names(h, `field=apiid&op=eq&value=${petstore}`)).toEqual(["Alpha Inc", "Gamma AG"]);
    expect(await names(h, `field=apiid&op=eq&value=${weather}`)).toEqual(["Gamma AG"]);
    expect(await names(h, `field=apiid&op=ne&value=${petstore}`)).toEqual(["Beta LLC", "Seeded Partner", "delta gmbh"]);
    expect(await names(h, `field=apiid&op=eq&value=${petstore}&field=enabled&op=eq&value=enabled`)).toEqual(["Alpha Inc", "Gamma AG"]);
  });

  test("mistakes → 400 naming the problem", async () => {
    const { h } = await fixture();
    const cases: Array<[string, RegExp]> = [
      ["field=colour&op=eq&value=red", /Unknown filter field 'colour'/],
      ["field=name&op=approx&value=x", /Unknown filter op 'approx'/],
      ["field=name&op=eq", /Mismatched filter parameters: 1 field, 1 op and 0 value/],
      ["field=name&field=email&op=eq&value=x&value=y", /Mismatched/],
      ["field=createdOn&op=gete&value=5", /Invalid value '5' for op 'gete'/],
      ["field=createdOn&op=gete&value=1,2,3", /op 'gete'/],
      ["field=createdOn&op=gete&value=a,b", /expected a number/],
      ["field=createdOn&op=gt&value=yesterday", /Invalid value 'yesterday' for field 'createdOn'/],
      ["field=createdOn&op=like&value=1", /not supported for field 'createdOn'/],
      ["field=enabled&op=eq&value=maybe", /Invalid value 'maybe' for field 'enabled'/],
      ["field=enabled&op=gt&value=enabled", /not supported for field 'enabled'/],
      ["field=apiid&op=gt&value=x", /not supported for field 'apiid'/],
      ["field=name&op=eq&value=x&lop=XOR", /Unknown logical operation 'XOR'/],
    ];
    for (const [query, message] of cases) {
      const r = await h.call("GET", `${P}/organizations?${query}`);
      expect({ query, status: r.status }).toEqual({ query, status: 400 });
      expect(r.json.errors[0].code).toBe(400);
      expect(r.json.errors[0].message).toMatch(message);
    }
  });
});

describe("portal emulator: frontend APIs", () => {
  test("GET /proxies lists the seeded APIs with stable ids", async () => {
    const h = await harness();
    const r = await h.call("GET", `${P}/proxies`);
    expect(r.status).toBe(200);
    expect(r.json.map((a: { name: string }) => a.name)).toEqual(["Petstore", "Weather", "Payments v2", "Inventory"]);
    for (const api of r.json) {
      expect(api.id).toBe(stableUuid("proxy", api.name));
      expect(api.state).toBe("published");
    }
    const again = await (await harness()).call("GET", `${P}/proxies`);
    expect(again.json.map((a: { id: string }) => a.id)).toEqual(r.json.map((a: { id: string }) => a.id));
  });

  test("filters on name, state and path", async () => {
    const h = await harness({ apis: [{ name: "A" }, { name: "B", state: "unpublished", id: "fixed-id" }, { name: "C", path: "/c/v2" }] });
    const q = async (query: string) => (await h.call("GET", `${P}/proxies?${query}`)).json.map((a: { name: string }) => a.name);
    expect(await q("field=name&op=eq&value=B")).toEqual(["B"]);
    expect(await q("field=state&op=eq&value=published")).toEqual(["A", "C"]);
    expect(await q("field=path&op=like&value=v2")).toEqual(["C"]);
    expect(await q("field=name&op=eq&value=A&field=name&op=eq&value=C&lop=OR")).toEqual(["A", "C"]);
    expect((await h.call("GET", `${P}/proxies`)).json[1].id).toBe("fixed-id");
    const bad = await h.call("GET", `${P}/proxies?field=email&op=eq&value=x`);
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].message).toMatch(/Unknown filter field 'email'/);
  });

  test("an organization administrator sees the APIs its organization may use", async () => {
    const h = await harness();
    expect((await h.call("GET", `${P}/proxies`, { auth: ORGADMIN })).json).toEqual([]);
    await h.call("POST", `${P}/organizations/${seededOrgId()}/apis`, { body: { apiId: stableUuid("proxy", "Inventory") } });
    const r = await h.call("GET", `${P}/proxies`, { auth: ORGADMIN });
    expect(r.json.map((a: { name: string }) => a.name)).toEqual(["Inventory"]);
  });
});

describe("portal emulator: API access", () => {
  test("grant, list, update enabled only, revoke", async () => {
    const h = await harness();
    h.clock.t = 1_720_000_000_000;
    const org = await createOrg(h, { name: "Consumer" });
    const apiId = stableUuid("proxy", "Payments v2");
    const created = await h.call("POST", `${P}/organizations/${org.id}/apis`, { body: { apiId } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: expect.stringMatching(UUID),
      apiId,
      createdBy: stableUuid("user", "apiadmin"),
      state: "approved",
      createdOn: 1_720_000_000_000,
      enabled: true,
    });
    const disabled = await h.call("POST", `${P}/organizations/${org.id}/apis`, { body: { apiId: stableUuid("proxy", "Weather"), enabled: false } });
    expect(disabled.json.enabled).toBe(false);

    const list = await h.call("GET", `${P}/organizations/${org.id}/apis`);
    expect(list.status).toBe(200);
    expect(list.json).toEqual([created.json, disabled.json]);

    const put = await h.call("PUT", `${P}/organizations/${org.id}/apis/${created.json.id}`, {
      body: { ...created.json, enabled: false, apiId: "changed", state: "pending", createdBy: "me", createdOn: 1, id: "x" },
    });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ ...created.json, enabled: false });
    const noop = await h.call("PUT", `${P}/organizations/${org.id}/apis/${created.json.id}`, { body: {} });
    expect(noop.json.enabled).toBe(false);
    expect((await h.call("PUT", `${P}/organizations/${org.id}/apis/${created.json.id}`, { body: { enabled: "no" } })).status).toBe(400);

    const del = await h.call("DELETE", `${P}/organizations/${org.id}/apis/${created.json.id}`);
    expect(del.status).toBe(204);
    expect((await h.call("GET", `${P}/organizations/${org.id}/apis`)).json).toEqual([disabled.json]);
    for (const method of ["PUT", "DELETE"]) {
      const gone = await h.call(method, `${P}/organizations/${org.id}/apis/${created.json.id}`, { body: method === "PUT" ? { enabled: true } : undefined });
      expect(gone.status).toBe(404);
      expect(gone.json).toEqual(NOT_FOUND);
    }
  });

  test("duplicate grant → 409, unknown API → 404, missing apiId → 400, unknown org → 404", async () => {
    const h = await harness();
    const org = await createOrg(h, { name: "Consumer" });
    const apiId = stableUuid("proxy", "Petstore");
    expect((await h.call("POST", `${P}/organizations/${org.id}/apis`, { body: { apiId } })).status).toBe(201);
    const dup = await h.call("POST", `${P}/organizations/${org.id}/apis`, { body: { apiId } });
    expect(dup.status).toBe(409);
    expect(dup.json).toEqual({ errors: [{ code: 409, message: "resource already exists" }] });
    const unknown = await h.call("POST", `${P}/organizations/${org.id}/apis`, { body: { apiId: "no-such-api" } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.errors[0].message).toMatch(/no-such-api/);
    expect((await h.call("POST", `${P}/organizations/${org.id}/apis`, { body: {} })).status).toBe(400);
    expect((await h.call("POST", `${P}/organizations/${org.id}/apis`, { body: { apiId: 7 } })).status).toBe(400);
    const noOrg = await h.call("POST", `${P}/organizations/missing/apis`, { body: { apiId } });
    expect(noOrg.status).toBe(404);
    expect(noOrg.json).toEqual(NOT_FOUND);
    expect((await h.call("GET", `${P}/organizations/missing/apis`)).json).toEqual(NOT_FOUND);
    // Another organization's grant id is unknown here.
    const mine = (await h.call("GET", `${P}/organizations/${org.id}/apis`)).json[0];
    expect((await h.call("DELETE", `${P}/organizations/${seededOrgId()}/apis/${mine.id}`)).status).toBe(404);
  });
});

describe("portal emulator: organization image", () => {
  test("upload a JPEG (multipart `file`) → 204; the organization points at it; GET returns it", async () => {
    const h = await harness();
    const org = await createOrg(h, { name: "Pictured" });
    const missing = await h.call("GET", `${P}/organizations/${org.id}/image`);
    expect(missing.status).toBe(404);
    expect(missing.json.errors[0].code).toBe(404);

    const picture = jpeg(2048, 0x17);
    const fd = new FormData();
    fd.set("file", new Blob([new Uint8Array(picture)], { type: "image/jpeg" }), "logo.jpg");
    const up = await h.call("POST", `${P}/organizations/${org.id}/image/?type=image/jpeg`, { body: fd });
    expect(up.status).toBe(204);
    expect(up.text).toBe("");
    const uri = `${P}/organizations/${org.id}/image`;
    expect((await h.call("GET", `${P}/organizations/${org.id}`)).json.image).toBe(uri);
    const got = await h.call("GET", uri);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("image/jpeg");
    expect(got.bytes.equals(picture)).toBe(true);
    expect((await h.call("GET", `${uri}/`)).bytes.equals(picture)).toBe(true);
    // The image survives a PUT of the organization, whatever the body says.
    const put = await h.call("PUT", `${P}/organizations/${org.id}`, { body: { name: "Pictured", image: null } });
    expect(put.json.image).toBe(uri);
  });

  test("hand-written multipart with other fields, LF-free CRLF framing and a quoted boundary", async () => {
    const h = await harness();
    const picture = jpeg(100);
    const boundary = "----emulator boundary";
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
      picture,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await h.call("POST", `${P}/organizations/${seededOrgId()}/image`, {
      body,
      headers: { "content-type": `multipart/form-data; boundary="${boundary}"` },
    });
    expect(r.status).toBe(204);
    expect((await h.call("GET", `${P}/organizations/${seededOrgId()}/image`)).bytes.equals(picture)).toBe(true);
  });

  test("non-JPEG → 400, too large → 413, no file part or not multipart → 400, unknown org → 404", async () => {
    const h = await harness({ maxImageBytes: 1000 });
    const id = seededOrgId();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const form = (data: Buffer, field = "file") => {
      const fd = new FormData();
      fd.set(field, new Blob([new Uint8Array(data)]), "x.bin");
      return fd;
    };
    const notJpeg = await h.call("POST", `${P}/organizations/${id}/image`, { body: form(png) });
    expect(notJpeg.status).toBe(400);
    expect(notJpeg.json.errors[0].message).toMatch(/JPEG/);
    const big = await h.call("POST", `${P}/organizations/${id}/image`, { body: form(jpeg(1001)) });
    expect(big.status).toBe(413);
    expect(big.json.errors[0].code).toBe(413);
    const huge = await h.call("POST", `${P}/organizations/${id}/image`, { body: form(jpeg(200_000)) });
    expect(huge.status).toBe(413);
    expect((await h.call("POST", `${P}/organizations/${id}/image`, { body: form(jpeg(1000)) })).status).toBe(204);
    const wrongField = await h.call("POST", `${P}/organizations/${id}/image`, { body: form(jpeg(), "picture") });
    expect(wrongField.status).toBe(400);
    expect(wrongField.json.errors[0].message).toMatch(/'file'/);
    expect((await h.call("POST", `${P}/organizations/${id}/image`, { body: { file: "x" } })).status).toBe(400);
    const broken = await h.call("POST", `${P}/organizations/${id}/image`, { body: "garbage", headers: { "content-type": "multipart/form-data; boundary=zz" } });
    expect(broken.status).toBe(400);
    expect((await h.call("POST", `${P}/organizations/nope/image`, { body: form(jpeg()) })).json).toEqual(NOT_FOUND);
    expect((await h.call("GET", `${P}/organizations/nope/image`)).json).toEqual(NOT_FOUND);
  });
});

describe("portal emulator: registration codes", () => {
  test("create (string quota), list, get array of one, update, delete", async () => {
    const h = await harness();
    h.clock.t = 1_730_000_000_000;
    const org = await createOrg(h, { name: "Onboarding" });
    const created = await h.call("POST", `${P}/organizations/${org.id}/tokens`, { body: { userQuota: "15", expiry: 1366930800000 } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      token: expect.stringMatching(/^[1-9]\d{5}$/),
      organizationId: org.id,
      expiry: 1366930800000,
      createdOn: 1_730_000_000_000,
      createdBy: stableUuid("user", "apiadmin"),
      userQuota: 15,
      maxUsers: 15,
      enabled: true,
    });
    const second = await h.call("POST", `${P}/organizations/${org.id}/tokens/`, { body: { userQuota: 0, expiry: "1366930800001", enabled: false } });
    expect(second.status).toBe(201);
    expect(second.json).toMatchObject({ userQuota: 0, maxUsers: 0, expiry: 1366930800001, enabled: false });
    expect(second.json.token).not.toBe(created.json.token);

    const list = await h.call("GET", `${P}/organizations/${org.id}/tokens/`);
    expect(list.status).toBe(200);
    expect(list.json).toEqual([created.json, second.json]);
    expect((await h.call("GET", `${P}/organizations/${org.id}/tokens`)).json).toEqual(list.json);

    const one = await h.call("GET", `${P}/organizations/${org.id}/tokens/${created.json.token}`);
    expect(one.status).toBe(200);
    expect(one.json).toEqual([created.json]);

    const put = await h.call("PUT", `${P}/organizations/${org.id}/tokens/${created.json.token}`, { body: { userQuota: "20", expiry: 1400000000000, enabled: false } });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ ...created.json, userQuota: 20, maxUsers: 20, expiry: 1400000000000, enabled: false });
    const partial = await h.call("PUT", `${P}/organizations/${org.id}/tokens/${created.json.token}`, { body: { enabled: true } });
    expect(partial.json).toEqual({ ...put.json, enabled: true });

    expect((await h.call("DELETE", `${P}/organizations/${org.id}/tokens/${created.json.token}`)).status).toBe(204);
    for (const method of ["GET", "PUT", "DELETE"]) {
      const gone = await h.call(method, `${P}/organizations/${org.id}/tokens/${created.json.token}`, { body: method === "PUT" ? { userQuota: 1 } : undefined });
      expect(gone.status).toBe(404);
      expect(gone.json).toEqual(NOT_FOUND);
    }
    expect((await h.call("GET", `${P}/organizations/${org.id}/tokens`)).json).toEqual([second.json]);
  });

  test("validation: negative or non-numeric quota, missing fields → 400; another org's code → 404", async () => {
    const h = await harness();
    const org = await createOrg(h, { name: "Onboarding" });
    const url = `${P}/organizations/${org.id}/tokens`;
    for (const body of [{ userQuota: -1, expiry: 1 }, { userQuota: "-3", expiry: 1 }, { userQuota: "lots", expiry: 1 }, { userQuota: 1.5, expiry: 1 }, { expiry: 1 }, { userQuota: 1 }, { userQuota: 1, expiry: 1, enabled: "y" }]) {
      const r = await h.call("POST", url, { body });
      expect(r.status).toBe(400);
      expect(r.json.errors[0].code).toBe(400);
    }
    const token = (await h.call("POST", url, { body: { userQuota: 2, expiry: 1 } })).json.token;
    expect((await h.call("PUT", `${url}/${token}`, { body: { userQuota: -2 } })).status).toBe(400);
    expect((await h.call("GET", `${P}/organizations/${seededOrgId()}/tokens/${token}`)).status).toBe(404);
    expect((await h.call("GET", `${P}/organizations/missing/tokens`)).json).toEqual(NOT_FOUND);
  });
});

describe("portal emulator: organization administrator", () => {
  test("sees only its own organization; 403 elsewhere and on admin-only calls", async () => {
    const h = await harness();
    const own = seededOrgId();
    const other = await createOrg(h, { name: "Someone Else" });
    const oa = caller(h.served.url, ORGADMIN);

    const list = await oa("GET", `${P}/organizations`);
    expect(list.json.map((o: { id: string }) => o.id)).toEqual([own]);
    expect((await oa("GET", `${P}/organizations?field=name&op=eq&value=Someone%20Else`)).json).toEqual([]);
    expect((await oa("GET", `${P}/organizations/${own}`)).status).toBe(200);

    const forbidden: Array<[string, string, unknown?]> = [
      ["GET", `${P}/organizations/${other.id}`],
      ["PUT", `${P}/organizations/${other.id}`, { name: "Hijacked" }],
      ["POST", `${P}/organizations`, { name: "Mine Too" }],
      ["DELETE", `${P}/organizations/${own}`],
      ["DELETE", `${P}/organizations/${other.id}`],
      ["POST", `${P}/organizations/${own}/apis`, { apiId: stableUuid("proxy", "Petstore") }],
      ["GET", `${P}/organizations/${other.id}/apis`],
      ["GET", `${P}/organizations/${other.id}/image`],
      ["POST", `${P}/organizations/${other.id}/tokens`, { userQuota: 1, expiry: 1 }],
      ["GET", `${P}/organizations/${other.id}/tokens`],
    ];
    for (const [method, path, body] of forbidden) {
      const r = await oa(method, path, { body });
      expect({ method, path, status: r.status }).toEqual({ method, path, status: 403 });
      expect(r.json.errors[0].code).toBe(403);
    }

    // Grants made by the API admin cannot be changed or revoked by the org admin, but can be read.
    const grant = (await h.call("POST", `${P}/organizations/${own}/apis`, { body: { apiId: stableUuid("proxy", "Petstore") } })).json;
    expect((await oa("GET", `${P}/organizations/${own}/apis`)).json).toEqual([grant]);
    expect((await oa("PUT", `${P}/organizations/${own}/apis/${grant.id}`, { body: { enabled: false } })).status).toBe(403);
    expect((await oa("DELETE", `${P}/organizations/${own}/apis/${grant.id}`)).status).toBe(403);
    expect((await h.call("GET", `${P}/organizations/${own}/apis`)).json[0].enabled).toBe(true);
    expect((await h.call("GET", `${P}/organizations`)).json).toHaveLength(2);
  });

  test("may update its own organization and manage its registration codes", async () => {
    const h = await harness();
    const own = seededOrgId();
    const oa = caller(h.served.url, ORGADMIN);
    const put = await oa("PUT", `${P}/organizations/${own}`, { body: { name: "Renamed Partner", email: "x@y.z" } });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ id: own, name: "Renamed Partner", dn: "o=Renamed Partner,ou=organizations,ou=APIPortal" });

    const token = await oa("POST", `${P}/organizations/${own}/tokens`, { body: { userQuota: "5", expiry: 2 } });
    expect(token.status).toBe(201);
    expect(token.json.createdBy).toBe(stableUuid("user", "orgadmin"));
    expect((await oa("GET", `${P}/organizations/${own}/tokens/${token.json.token}`)).json).toEqual([token.json]);
    expect((await oa("PUT", `${P}/organizations/${own}/tokens/${token.json.token}`, { body: { enabled: false } })).json.enabled).toBe(false);
    expect((await oa("DELETE", `${P}/organizations/${own}/tokens/${token.json.token}`)).status).toBe(204);

    const fd = new FormData();
    fd.set("file", new Blob([new Uint8Array(jpeg())]), "me.jpg");
    expect((await oa("POST", `${P}/organizations/${own}/image`, { body: fd })).status).toBe(204);
    expect((await oa("GET", `${P}/organizations/${own}/image`)).status).toBe(200);
  });
});

describe("portal emulator: persistence", () => {
  test("snapshot → JSON → restore reproduces every answer", async () => {
    const h = await harness({ apis: [{ name: "Only API", version: "9" }] });
    const org = await createOrg(h, { name: "Persisted", description: "kept", isTrial: true, trialDuration: 7 });
    const grant = (await h.call("POST", `${P}/organizations/${org.id}/apis`, { body: { apiId: stableUuid("proxy", "Only API"), enabled: false } })).json;
    const token = (await h.call("POST", `${P}/organizations/${org.id}/tokens`, { body: { userQuota: 4, expiry: 99 } })).json;
    const picture = jpeg(300, 0x99);
    const fd = new FormData();
    fd.set("file", new Blob([new Uint8Array(picture)]), "p.jpg");
    await h.call("POST", `${P}/organizations/${org.id}/image`, { body: fd });
    await h.call("DELETE", `${P}/organizations/${seededOrgId()}`); // the seeded organization stays deleted

    const saved = JSON.parse(JSON.stringify(h.service.snapshot())) as PortalSnapshot;
    expect(saved.images[org.id as string]).toBe(picture.toString("base64"));

    // A fresh service with different defaults takes the saved state as a whole.
    const h2 = await harness();
    h2.service.restore(saved);
    expect(h2.service.snapshot()).toEqual(saved);
    expect((await h2.call("GET", `${P}/organizations`)).json).toEqual((await h.call("GET", `${P}/organizations`)).json);
    expect((await h2.call("GET", `${P}/organizations/${org.id}/apis`)).json).toEqual([grant]);
    expect((await h2.call("GET", `${P}/organizations/${org.id}/tokens/${token.token}`)).json).toEqual([token]);
    expect((await h2.call("GET", `${P}/organizations/${org.id}/image`)).bytes.equals(picture)).toBe(true);
    expect((await h2.call("GET", `${P}/proxies`)).json).toEqual((await h.call("GET", `${P}/proxies`)).json);
    expect((await h2.call("GET", `${P}/currentuser`, { auth: ORGADMIN })).status).toBe(401); // deleted with its organization
    expect(h2.service.describe()).toEqual(["portal API admin: apiadmin / changeme", 'portal frontend API "Only API": ' + stableUuid("proxy", "Only API")]);

    // Names stay unique and codes stay known after a restore.
    expect((await h2.call("POST", `${P}/organizations`, { body: { name: "Persisted" } })).status).toBe(409);
    expect((await h2.call("POST", `${P}/organizations/${org.id}/apis`, { body: { apiId: grant.apiId } })).status).toBe(409);
  });

  test("restore drops sessions; undefined is a no-op; garbage throws", async () => {
    const h = await harness();
    const login = await h.call("POST", `${P}/login`, { auth: "", body: new URLSearchParams({ username: "apiadmin", password: "changeme" }) });
    const cookie = login.headers.getSetCookie()[0].split(";")[0];
    expect((await h.call("GET", `${P}/currentuser`, { headers: { cookie } })).status).toBe(200);
    const before = h.service.snapshot();
    h.service.restore(undefined);
    expect(h.service.snapshot()).toEqual(before);
    h.service.restore(JSON.parse(JSON.stringify(before)));
    expect((await h.call("GET", `${P}/currentuser`, { headers: { cookie } })).status).toBe(401);
    expect(() => h.service.restore({ version: 1 })).toThrow(/portal snapshot is invalid at organizations/);
    expect(() => h.service.restore("nope")).toThrow(/portal snapshot is invalid/);
    expect(h.service.snapshot()).toEqual(before);
  });

  test("ctx.changed() after every change, never after reads or refused calls", async () => {
    const h = await harness();
    const org = await createOrg(h, { name: "Counted" });
    const id = org.id as string;
    const steps: Array<[string, string, unknown, number]> = [
      ["GET", `${P}/organizations`, undefined, 0],
      ["PUT", `${P}/organizations/${id}`, { name: "Counted 2" }, 1],
      ["POST", `${P}/organizations/${id}/apis`, { apiId: stableUuid("proxy", "Petstore") }, 1],
      ["POST", `${P}/organizations/${id}/tokens`, { userQuota: 1, expiry: 1 }, 1],
      ["POST", `${P}/organizations`, { name: "Counted 2" }, 0],
      ["DELETE", `${P}/organizations/${id}`, undefined, 1],
    ];
    for (const [method, path, body, delta] of steps) {
      const before = h.changes.n;
      await h.call(method, path, { body });
      expect({ method, path, delta: h.changes.n - before }).toEqual({ method, path, delta });
    }
  });
});

describe("portal emulator: Swagger conformance of real responses", () => {
  test("the checker itself catches wrong types, missing required and unknown properties", () => {
    expect(swaggerProblems("Organization", { name: "x" })).toEqual([]);
    expect(swaggerProblems("Organization", { name: 1 })).toEqual(["Organization.name: expected string, got number"]);
    expect(swaggerProblems("Organization", {})).toEqual(["Organization.name: required property missing"]);
    expect(swaggerProblems("Organization", { name: "x", skypeId: "s" })).toEqual(["Organization.skypeId: not in the definition"]);
    expect(swaggerProblems("Organization", { name: "x", skypeId: "s" }, ["skypeId"])).toEqual([]);
    expect(swaggerProblems("Organization", { name: "x", createdOn: 1.5 })).toEqual(["Organization.createdOn: expected integer"]);
    expect(swaggerProblems("RegistrationToken", { userQuota: 2 ** 31 })).toEqual(["RegistrationToken.userQuota: outside int32"]);
    expect(swaggerProblems("VirtualizedAPI", { id: "x" }).length).toBeGreaterThan(20);
  });

  test("Organization, APIAccess, RegistrationToken, VirtualizedAPI and User answers match their definitions", async () => {
    const h = await harness();
    const bodies: Array<[string, unknown]> = [];
    const org = await h.call("POST", `${P}/organizations`, {
      body: { name: "Conformant", description: "d", email: "e@x", phone: "1", virtualHost: "v.example", isTrial: true, trialDuration: 30, startTrialDate: 1, endTrialDate: 2, skypeId: "sk" },
    });
    bodies.push(["Organization", org.json]);
    const id = org.json.id;
    const fd = new FormData();
    fd.set("file", new Blob([new Uint8Array(jpeg())]), "c.jpg");
    await h.call("POST", `${P}/organizations/${id}/image`, { body: fd });
    const put = await h.call("PUT", `${P}/organizations/${id}`, { body: { name: "Conformant 2", enabled: false } });
    bodies.push(["Organization", put.json], ["Organization", (await h.call("GET", `${P}/organizations/${id}`)).json]);
    for (const o of (await h.call("GET", `${P}/organizations`)).json) bodies.push(["Organization", o]);

    const grant = await h.call("POST", `${P}/organizations/${id}/apis`, { body: { apiId: stableUuid("proxy", "Petstore") } });
    bodies.push(["APIAccess", grant.json]);
    bodies.push(["APIAccess", (await h.call("PUT", `${P}/organizations/${id}/apis/${grant.json.id}`, { body: { enabled: false } })).json]);
    for (const g of (await h.call("GET", `${P}/organizations/${id}/apis`)).json) bodies.push(["APIAccess", g]);

    const token = await h.call("POST", `${P}/organizations/${id}/tokens`, { body: { userQuota: "15", expiry: 1366930800000 } });
    bodies.push(["RegistrationToken", token.json]);
    bodies.push(["RegistrationToken", (await h.call("PUT", `${P}/organizations/${id}/tokens/${token.json.token}`, { body: { userQuota: 3 } })).json]);
    for (const t of (await h.call("GET", `${P}/organizations/${id}/tokens`)).json) bodies.push(["RegistrationToken", t]);
    for (const t of (await h.call("GET", `${P}/organizations/${id}/tokens/${token.json.token}`)).json) bodies.push(["RegistrationToken", t]);

    const proxies = (await h.call("GET", `${P}/proxies`)).json;
    expect(proxies.length).toBeGreaterThanOrEqual(4);
    for (const p of proxies) bodies.push(["VirtualizedAPI", p]);

    bodies.push(["User", (await h.call("GET", `${P}/currentuser`)).json]);
    bodies.push(["User", (await h.call("GET", `${P}/currentuser`, { auth: ORGADMIN })).json]);

    const problems = bodies.flatMap(([name, body]) => swaggerProblems(name, body, name === "Organization" ? ["skypeId"] : []));
    expect(problems).toEqual([]);
    expect(bodies.length).toBeGreaterThan(15);
  });
});
