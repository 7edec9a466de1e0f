// The Axway portal client against the real emulator on port 0: organizations and their filters,
// pictures, frontend APIs, API access, registration codes (and their masking in errors),
// session login, authorization, retries, and axwayClient()'s settings.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  startEmulator,
  type EmulatorRequest,
  type EmulatorResponse,
  type RunningEmulator,
  type ServiceModule,
} from "../../../../../emulator";
import { AxwayClient, type AxwayClientOptions } from "../../../../../provider/clients/axway/client";
import { ApiError } from "../../../../../provider/http/errors";
import { axwayClient, InvalidSettingError, MissingSettingsError } from "../../../../../provider/clients";
import type { ConfigSource } from "../../../../../provider/config";

const P = "/api/portal/v1.3";
const ADMIN = { username: "apiadmin", password: "changeme" };
const ORG_ADMIN = { username: "orgadmin", password: "orgadmin-password" };
const FAST = { retry: { minDelayMs: 5, maxDelayMs: 20 } };

let emu: RunningEmulator;
const clients: AxwayClient[] = [];

beforeEach(async () => {
  emu = await startEmulator({ port: 0 });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await emu.stop();
});

function client(opts: Partial<AxwayClientOptions> = {}): AxwayClient {
  const c = new AxwayClient({ url: emu.axwayUrl, ...ADMIN, http: FAST, ...opts });
  clients.push(c);
  return c;
}

function jpeg(size = 256, fill = 7): Buffer {
  const b = Buffer.alloc(size, fill);
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return b;
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

/** Organization CRUD as the tests of both auth modes run it. */
async function organizationCrud(c: AxwayClient): Promise<void> {
  const created = await c.createOrganization({
    name: "Acme Corporation",
    email: "support@acmecorp.com",
    phone: "+1 877-564-7700",
    enabled: false,
  });
  expect(created).toMatchObject({
    name: "Acme Corporation",
    email: "support@acmecorp.com",
    enabled: false,
    restricted: false,
    image: null,
  });
  expect(typeof created.createdOn).toBe("number");
  expect(created.dn).toBe("o=Acme Corporation,ou=organizations,ou=APIPortal");

  expect(await c.getOrganization(created.id)).toEqual(created);

  // A full-object PUT: fields left out are cleared, server fields kept.
  const updated = await c.updateOrganization(created.id, { name: "Acme Corp", description: "Renamed", enabled: true });
  expect(updated).toMatchObject({ id: created.id, name: "Acme Corp", description: "Renamed", enabled: true, createdOn: created.createdOn });
  expect(updated.email).toBeUndefined();
  expect((await c.getOrganization(created.id))?.name).toBe("Acme Corp");

  expect(await c.deleteOrganization(created.id)).toBe(true);
  expect(await c.getOrganization(created.id)).toBeUndefined();
  expect(await c.deleteOrganization(created.id)).toBe(false);
}

describe("organizations", () => {
  test("create, get, full-object update, delete; 404 reads as undefined/false", async () => {
    await organizationCrud(client());
  });

  test("only the writable fields are sent: a whole Organization passed back does not send image, dn or createdOn", async () => {
    const c = client();
    const org = await c.createOrganization({
      name: "Roundtrip",
      isTrial: true,
      trialDuration: 30,
      startTrialDate: 1000,
      endTrialDate: 2000,
    });
    expect(org).toMatchObject({ isTrial: true, trialDuration: 30, startTrialDate: 1000, endTrialDate: 2000 });
    const again = await c.updateOrganization(org.id, { ...org, description: "x" } as never);
    expect(again).toMatchObject({ id: org.id, description: "x", trialDuration: 30, createdOn: org.createdOn, image: null });
  });

  test("duplicate name → ApiError 409 with the server's message", async () => {
    const c = client();
    await c.createOrganization({ name: "Twice" });
    const err = await rejection(c.createOrganization({ name: "Twice" }));
    expect(err.status).toBe(409);
    expect(err.serverMessage).toBe("resource already exists");
    expect(err.message).toContain("resource already exists");
    expect(err.message).not.toContain("changeme");
  });

  test("filters: eq, like, gete on createdOn, OR", async () => {
    const c = client();
    const a = await c.createOrganization({ name: "Filter Alpha", email: "alpha@example.com", phone: "111" });
    const b = await c.createOrganization({ name: "Filter Beta", email: "beta@example.com", phone: "222", enabled: false });
    const names = (orgs: Array<{ name: string }>) => orgs.map((o) => o.name).sort();

    expect(names(await c.listOrganizations())).toEqual(["Filter Alpha", "Filter Beta", "Seeded Partner"]);
    expect(names(await c.listOrganizations([{ field: "name", op: "eq", value: "Filter Alpha" }]))).toEqual(["Filter Alpha"]);
    expect(names(await c.listOrganizations([{ field: "name", op: "like", value: "filter" }]))).toEqual(["Filter Alpha", "Filter Beta"]);
    expect(names(await c.listOrganizations([{ field: "enabled", op: "eq", value: "disabled" }]))).toEqual(["Filter Beta"]);

    const lo = Math.min(a.createdOn!, b.createdOn!);
    const hi = Math.max(a.createdOn!, b.createdOn!);
    const inRange = await c.listOrganizations([
      { field: "createdOn", op: "gete", value: `${lo},${hi}` },
      { field: "name", op: "like", value: "Filter*" },
    ]);
    expect(names(inRange)).toEqual(["Filter Alpha", "Filter Beta"]);
    expect(await c.listOrganizations([{ field: "createdOn", op: "gete", value: `${hi + 1},${hi + 2}` }])).toEqual([]);

    const either = await c.listOrganizations(
      [
        { field: "email", op: "eq", value: "alpha@example.com" },
        { field: "phone", op: "eq", value: "222" },
      ],
      "OR",
    );
    expect(names(either)).toEqual(["Filter Alpha", "Filter Beta"]);
    const both = await c.listOrganizations(
      [
        { field: "email", op: "eq", value: "alpha@example.com" },
        { field: "phone", op: "eq", value: "222" },
      ],
      "AND",
    );
    expect(both).toEqual([]);
  });

  test("a filter the portal refuses → ApiError 400; an unknown field is refused before sending", async () => {
    const c = client();
    const err = await rejection(c.listOrganizations([{ field: "createdOn", op: "gete", value: "5" }]));
    expect(err.status).toBe(400);
    await expect(c.listOrganizations([{ field: "colour" as never, op: "eq", value: "red" }])).rejects.toThrow(TypeError);
  });
});

describe("organization picture", () => {
  test("set and get roundtrip; none → undefined; not a JPEG → 400", async () => {
    const c = client();
    const org = await c.createOrganization({ name: "Pictured" });
    expect(await c.getOrganizationImage(org.id)).toBeUndefined();
    const picture = jpeg(2048);
    await c.setOrganizationImage(org.id, picture);
    const got = await c.getOrganizationImage(org.id);
    expect(got && got.equals(picture)).toBe(true);
    expect((await c.getOrganization(org.id))?.image).toBe(`${P}/organizations/${org.id}/image`);

    const err = await rejection(c.setOrganizationImage(org.id, Buffer.from("GIF89a not a jpeg")));
    expect(err.status).toBe(400);
    expect(err.serverMessage).toContain("JPEG");
  });

  test("picture of an unknown organization → undefined", async () => {
    expect(await client().getOrganizationImage("no-such-org")).toBeUndefined();
  });
});

describe("frontend APIs and API access", () => {
  test("proxies: all, or by exact name", async () => {
    const c = client();
    const all = await c.listApis();
    expect(all.map((a) => a.name).sort()).toEqual(["Inventory", "Payments v2", "Petstore", "Weather"]);
    const [payments, ...rest] = await c.listApis("Payments v2");
    expect(rest).toEqual([]);
    expect(payments).toMatchObject({ name: "Payments v2", version: "2.0", path: "/payments/v2" });
    expect(await c.listApis("Payments")).toEqual([]);
  });

  test("grant, list, update enabled, revoke", async () => {
    const c = client();
    const org = await c.createOrganization({ name: "Consumer" });
    const [petstore] = await c.listApis("Petstore");
    const [weather] = await c.listApis("Weather");
    expect(await c.listApiAccess(org.id)).toEqual([]);

    const grant = await c.grantApiAccess(org.id, petstore.id);
    expect(grant).toMatchObject({ apiId: petstore.id, state: "approved", enabled: true });
    const disabledGrant = await c.grantApiAccess(org.id, weather.id, false);
    expect(disabledGrant.enabled).toBe(false);
    expect((await c.listApiAccess(org.id)).map((g) => g.id).sort()).toEqual([grant.id, disabledGrant.id].sort());

    const off = await c.updateApiAccess(org.id, grant, false);
    expect(off).toMatchObject({ id: grant.id, apiId: petstore.id, enabled: false });
    expect((await c.listApiAccess(org.id)).find((g) => g.id === grant.id)?.enabled).toBe(false);
    expect(await c.listOrganizations([{ field: "apiid", op: "eq", value: petstore.id }])).toEqual([
      expect.objectContaining({ id: org.id }),
    ]);

    expect(await c.revokeApiAccess(org.id, grant.id)).toBe(true);
    expect(await c.revokeApiAccess(org.id, grant.id)).toBe(false);
    expect((await c.listApiAccess(org.id)).map((g) => g.id)).toEqual([disabledGrant.id]);

    const dup = await rejection(c.grantApiAccess(org.id, weather.id));
    expect(dup.status).toBe(409);
  });
});

describe("registration codes", () => {
  test("create, list, get, update, delete", async () => {
    const c = client();
    const org = await c.createOrganization({ name: "Onboarding" });
    const expiry = Date.now() + 86_400_000;
    const code = await c.createToken(org.id, { userQuota: 15, expiry });
    expect(code).toMatchObject({ organizationId: org.id, expiry, userQuota: 15, maxUsers: 15, enabled: true });
    expect(code.token).toMatch(/^\d+$/);

    expect(await c.listTokens(org.id)).toEqual([code]);
    expect(await c.getToken(org.id, code.token)).toEqual(code); // the portal answers an array of one

    const changed = await c.updateToken(org.id, code.token, { userQuota: 3, enabled: false });
    expect(changed).toMatchObject({ token: code.token, userQuota: 3, enabled: false, expiry });
    expect((await c.getToken(org.id, code.token))?.userQuota).toBe(3);

    expect(await c.deleteToken(org.id, code.token)).toBe(true);
    expect(await c.getToken(org.id, code.token)).toBeUndefined();
    expect(await c.deleteToken(org.id, code.token)).toBe(false);
    expect(await c.listTokens(org.id)).toEqual([]);
  });

  test("a code never appears in an error: its path segment shows ***", async () => {
    const c = client();
    const org = await c.createOrganization({ name: "Secretive" });
    const code = await c.createToken(org.id, { userQuota: 1, expiry: Date.now() + 60_000 });

    emu.injectFault({ route: "GET /api/portal/v1.3/organizations/\\{id\\}/tokens/\\{token\\}", status: 500, count: 10 });
    const failed = await rejection(c.getToken(org.id, code.token));
    expect(failed.status).toBe(500);
    expect(failed.path).toBe(`/organizations/${org.id}/tokens/***`);
    expect(failed.message).toContain("/tokens/***");
    expect(failed.message).not.toContain(code.token);
    emu.clearFaults();

    const missing = await rejection(c.updateToken(org.id, "424242", { enabled: false }));
    expect(missing.status).toBe(404);
    expect(missing.message).toContain(`/organizations/${org.id}/tokens/***`);
    expect(missing.message).not.toContain("424242");
    expect(JSON.stringify(missing)).not.toContain("424242");
  });
});

describe("session login", () => {
  test("logs in once (303, cookie, CSRF) and runs the same CRUD; close() logs out", async () => {
    const c = client({ sessionLogin: true });
    await organizationCrud(c);
    const org = await c.createOrganization({ name: "Session Org" });
    await c.setOrganizationImage(org.id, jpeg());
    const code = await c.createToken(org.id, { userQuota: 2, expiry: Date.now() + 60_000 });
    expect(await c.deleteToken(org.id, code.token)).toBe(true);

    const stats = emu.stats().byRoute;
    expect(stats[`POST ${P}/login`]).toBe(1);
    expect(stats[`GET ${P}/currentuser`]).toBe(1);
    await c.close();
    expect(emu.stats().byRoute[`DELETE ${P}/login`]).toBe(1);
  });

  test("concurrent first calls share one login", async () => {
    const c = client({ sessionLogin: true });
    await Promise.all([c.listOrganizations(), c.listApis(), c.listOrganizations(), c.listApis("Weather")]);
    expect(emu.stats().byRoute[`POST ${P}/login`]).toBe(1);
  });

  test("a session the portal forgets (401) is replaced by one new login and the call repeated", async () => {
    const c = client({ sessionLogin: true });
    const org = await c.createOrganization({ name: "Relogin" });
    emu.injectFault({ route: "GET /api/portal/v1.3/organizations/\\{id\\}$", status: 401, count: 1 });
    expect((await c.getOrganization(org.id))?.name).toBe("Relogin");
    expect(emu.stats().byRoute[`POST ${P}/login`]).toBe(2);
  });

  test("bad credentials → ApiError 401 that does not show the password", async () => {
    const c = client({ sessionLogin: true, username: "apiadmin", password: "wrong-secret" });
    const err = await rejection(c.listOrganizations());
    expect(err.status).toBe(401);
    expect(err.message).not.toContain("wrong-secret");
  });
});

describe("authorization", () => {
  test("an organization administrator gets 403 on create, sees only its own organization", async () => {
    const c = client(ORG_ADMIN);
    const err = await rejection(c.createOrganization({ name: "Not Allowed" }));
    expect(err.status).toBe(403);
    expect(err.fault).toBe("client");
    expect(err.message).not.toContain("orgadmin-password");
    expect((await c.listOrganizations()).map((o) => o.name)).toEqual(["Seeded Partner"]);
  });

  test("wrong Basic credentials → 401, password not in the error", async () => {
    const err = await rejection(client({ password: "nope-nope" }).getOrganization("x"));
    expect(err.status).toBe(401);
    expect(err.message).not.toContain("nope-nope");
  });
});

describe("retries", () => {
  test("two 503s on GET organization are retried; the third attempt answers", async () => {
    const c = client();
    const org = await c.createOrganization({ name: "Flaky" });
    emu.resetStats();
    emu.injectFault({ route: "GET /api/portal/v1.3/organizations/\\{id\\}", status: 503, count: 2 });
    expect((await c.getOrganization(org.id))?.name).toBe("Flaky");
    expect(emu.stats().byRoute[`GET ${P}/organizations/{id}`]).toBe(3);
  });

  test("retries give up after maxRetries with the last status", async () => {
    const c = client({ http: { retry: { maxRetries: 1, minDelayMs: 5 } } });
    emu.injectFault({ route: "GET /api/portal/v1.3/organizations$", status: 503, count: 5 });
    const err = await rejection(c.listOrganizations());
    expect(err.status).toBe(503);
    expect(err.attempts).toBe(2);
  });
});

/**
 * A portal of another version, served under `/older`: it answers the way the documents'
 * examples and tables disagree (an object for a list, an array of one for an object, empty
 * 2xx answers, numbers as strings, nulls), so the client's leniency meets real HTTP.
 */
function olderPortal(): ServiceModule {
  const base = `/older${P}`;
  const org = { id: "o1", name: "Older", enabled: null, createdOn: "1364287486876", trialDuration: "365", dn: null };
  const access = { id: "g1", apiId: "api-1", state: "approved", enabled: true, createdOn: "1364287486876" };
  const token = { token: 257690, organizationId: "o1", expiry: null, userQuota: "15", maxUsers: "15", enabled: true };
  const answers: Record<string, () => EmulatorResponse> = {
    "GET /organizations": () => ({ status: 200, body: org }),
    "POST /organizations": () => ({ status: 200, body: [org] }),
    "PUT /organizations/o1": () => ({ status: 204 }),
    "GET /organizations/o1": () => ({ status: 200, body: [{ ...org, name: "Older (read back)" }] }),
    "GET /organizations/o1/image": () => ({ status: 204 }),
    "GET /organizations/o1/apis": () => ({ status: 200, body: access }),
    "PUT /organizations/o1/apis/g1": () => ({ status: 204 }),
    "DELETE /organizations/o1/apis/g1": () => ({ status: 201, body: access }),
    "GET /organizations/o1/tokens": () => ({ status: 200, body: token }),
    "GET /organizations/o1/tokens/257690": () => ({ status: 200, body: token }),
    "PUT /organizations/o1/tokens/257690": () => ({ status: 204 }),
    "GET /proxies": () => ({
      status: 200,
      body: [
        { id: "api-1", name: "Petstore" },
        { id: "api-2", name: "Petstore v2" },
      ],
    }),
  };
  const key = (req: EmulatorRequest) => `${req.method} ${req.path.slice(base.length).replace(/\/$/, "")}`;
  return {
    name: "older-portal",
    route: (req) => (req.path.startsWith(base) ? `${req.method} ${base}${req.path.slice(base.length)}` : undefined),
    handle: (req) => answers[key(req)]?.() ?? { status: 404, body: { errors: [{ code: 102, message: "not here" }] } },
    snapshot: () => null,
    restore: () => undefined,
  };
}

describe("leniency toward other portal versions", () => {
  let older: RunningEmulator;
  beforeEach(async () => {
    older = await startEmulator({ port: 0, services: [olderPortal()] });
  });
  afterEach(async () => {
    await older.stop();
  });

  test("objects for lists, arrays of one for objects, empty 2xx, numeric strings, nulls", async () => {
    // The URL may already end in /api/portal/v1.3.
    const c = client({ url: `${older.url}/older${P}/` });
    const [listed, ...none] = await c.listOrganizations();
    expect(none).toEqual([]);
    expect(listed).toMatchObject({ id: "o1", createdOn: 1364287486876, trialDuration: 365, enabled: undefined, dn: null });

    expect((await c.createOrganization({ name: "Older" })).id).toBe("o1");
    // PUT answered 204: the organization is read back.
    expect((await c.updateOrganization("o1", { name: "Older" })).name).toBe("Older (read back)");
    expect(await c.getOrganizationImage("o1")).toBeUndefined();

    const [grant] = await c.listApiAccess("o1");
    expect(grant).toMatchObject({ id: "g1", createdOn: 1364287486876 });
    expect(await c.updateApiAccess("o1", grant, false)).toMatchObject({ id: "g1", enabled: false });
    expect(await c.revokeApiAccess("o1", "g1")).toBe(true);

    const tokens = await c.listTokens("o1");
    expect(tokens).toEqual([expect.objectContaining({ token: "257690", userQuota: 15, maxUsers: 15, expiry: null })]);
    expect((await c.getToken("o1", "257690"))?.userQuota).toBe(15);
    expect((await c.updateToken("o1", "257690", { expiry: null }))?.token).toBe("257690");

    // A server that ignores the name filter does not pass off another API as the one asked for.
    expect((await c.listApis("Petstore")).map((a) => a.id)).toEqual(["api-1"]);
  });
});

/** A self-signed certificate for 127.0.0.1, made by the openssl CLI; undefined when there is none. */
function selfSigned(dir: string): { key: Buffer; cert: Buffer } | undefined {
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
  } catch {
    return undefined;
  }
  return { key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")) };
}

describe("TLS", () => {
  test("a self-signed portal is refused, then accepted with its CA or with insecureSkipVerify", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "axway-tls-"));
    const pair = selfSigned(dir);
    rmSync(dir, { recursive: true, force: true });
    if (!pair) {
      console.warn("openssl not found: TLS test skipped");
      return;
    }
    const server = createHttpsServer(pair, (req, res) => {
      res.writeHead(req.url === `${P}/proxies` ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify([{ id: "api-1", name: "Secure" }]));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const refused = await rejection(client({ url }).listApis());
      expect(refused.status).toBeUndefined();
      expect(refused.code).toMatch(/CERT|SELF_SIGNED/);
      expect((await client({ url, caCert: pair.cert }).listApis()).map((a) => a.name)).toEqual(["Secure"]);
      expect((await client({ url, insecureSkipVerify: true }).listApis()).map((a) => a.name)).toEqual(["Secure"]);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("axwayClient() settings", () => {
  // Every AXWAY_* variable is cleared before each test and put back as it was after it.
  const axwayVariables = () => Object.keys(process.env).filter((k) => k.startsWith("AXWAY_"));
  const saved: Record<string, string | undefined> = {};
  let dir: string;
  beforeEach(() => {
    for (const k of axwayVariables()) {
      saved[k] = process.env[k];
      delete process.env[k];
    }
    dir = mkdtempSync(path.join(tmpdir(), "axway-settings-"));
  });
  afterEach(() => {
    for (const k of axwayVariables()) delete process.env[k];
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const source = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });

  test("missing settings are named as a user sets them", () => {
    let err: unknown;
    try {
      axwayClient(source({}));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingSettingsError);
    expect((err as MissingSettingsError).settings).toEqual([
      "axway:url (or AXWAY_URL)",
      "axway:username (or AXWAY_USERNAME)",
      "axway:password (or AXWAY_PASSWORD)",
    ]);
  });

  test("environment fallback, one cached client per settings, working calls", async () => {
    process.env.AXWAY_URL = emu.axwayUrl;
    process.env.AXWAY_USERNAME = "apiadmin";
    process.env.AXWAY_PASSWORD = "changeme";
    const a = axwayClient(source({}));
    expect(axwayClient(source({}))).toBe(a);
    expect((await a.listApis("Inventory")).length).toBe(1);
    const b = axwayClient(source({ "axway:sessionLogin": "1" }));
    expect(b).not.toBe(a);
    expect((await b.listApis("Inventory")).length).toBe(1);
    expect(emu.stats().byRoute[`POST ${P}/login`]).toBe(1);
    clients.push(b);
  });

  test("flags must be true/false/1/0; a CA file that is not there names the setting", () => {
    const base = { "axway:url": emu.axwayUrl, "axway:username": "u", "axway:password": "p" };
    expect(() => axwayClient(source({ ...base, "axway:insecureSkipVerify": "yes" }))).toThrow(
      /axway:insecureSkipVerify \(or AXWAY_INSECURE_SKIP_VERIFY\): must be true, false, 1 or 0/,
    );
    expect(() => axwayClient(source({ ...base, "axway:sessionLogin": "maybe" }))).toThrow(InvalidSettingError);
    const missingCa = path.join(dir, "absent.pem");
    expect(() => axwayClient(source({ ...base, "axway:caCertPath": missingCa }))).toThrow(
      /axway:caCertPath \(or AXWAY_CA_CERT_PATH\): names a file that cannot be read/,
    );
    const notPem = path.join(dir, "ca.pem");
    writeFileSync(notPem, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    expect(() => axwayClient(source({ ...base, "axway:caCertPath": notPem }))).toThrow(
      /axway:caCertPath \(or AXWAY_CA_CERT_PATH\): names .* which holds a certificate that cannot be parsed/,
    );
    const ca = path.join(__dirname, "../../../../fixtures/test-ca.pem");
    expect(axwayClient(source({ ...base, "axway:caCertPath": ca, "axway:insecureSkipVerify": "TRUE" }))).toBeInstanceOf(AxwayClient);
  });
});

describe("domain errors", () => {
  it("a 409 is AlreadyExistsError and a 403 on an administrator's call NeedsApiAdministratorError, both still ApiErrors", async () => {
    const { AlreadyExistsError, NeedsApiAdministratorError } = await import("../../../../../provider/clients/axway/errors");
    const admin = client();
    await admin.createOrganization({ name: "Twice Ltd" });
    const conflict = await admin.createOrganization({ name: "Twice Ltd" }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(AlreadyExistsError);
    expect(conflict).toBeInstanceOf(ApiError);
    expect(conflict).toMatchObject({ status: 409, method: "POST", path: "/organizations" });

    const orgAdmin = client(ORG_ADMIN);
    const refused = await orgAdmin.createOrganization({ name: "Not Mine" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NeedsApiAdministratorError);
    expect(refused).toMatchObject({ status: 403 });
    expect((refused as Error).message).toMatch(/API administrators only: axway:username must be an API administrator/);
  });
});
