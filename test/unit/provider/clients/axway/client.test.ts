// AxwayClient as a whole against the real emulator: retries, leniency toward other portal
// versions, axwayClient()'s settings and the domain errors. Each concern's own tests sit beside
// this file: auth, organizations, grants and codes (.test.ts); shared helpers in harness.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  startEmulator,
  type EmulatorRequest,
  type EmulatorResponse,
  type RunningEmulator,
  type ServiceModule,
} from "../../../../../emulator";
import { AxwayClient } from "../../../../../provider/clients/axway/client";
import { ApiError } from "../../../../../provider/http/errors";
import { axwayClient, InvalidSettingError, MissingSettingsError } from "../../../../../provider/clients";
import type { ConfigSource } from "../../../../../provider/config";
import { client, clients, emu, emulatorPerTest, ORG_ADMIN, P, rejection } from "./harness";

emulatorPerTest();

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
