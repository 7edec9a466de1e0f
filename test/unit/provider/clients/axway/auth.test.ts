// AxwayClient's connection (provider/clients/axway/auth.ts) against the real emulator: session
// login, Basic credentials and the roles the portal tells apart, and TLS.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { client, clients, emu, emulatorPerTest, jpeg, ORG_ADMIN, organizationCrud, P, rejection } from "./harness";

emulatorPerTest();

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
