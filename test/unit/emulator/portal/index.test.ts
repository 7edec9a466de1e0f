// The portal service inside the real emulator core (emulator/server.ts): loaded by the core,
// routed and counted by its templates, persisted to the data file and read back on restart.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator, type RunningEmulator } from "../../../../emulator/server";
import { PORTAL_BASE as P, stableUuid } from "../../../../emulator/portal";

const ADMIN = `Basic ${Buffer.from("apiadmin:changeme").toString("base64")}`;

let dir: string;
const running: RunningEmulator[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "portal-core-"));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(dataFile: string): Promise<RunningEmulator> {
  const emulator = await startEmulator({ dataFile, portal: { maxImageBytes: 4096 } });
  running.push(emulator);
  return emulator;
}

test("served by the core: stats by route template, options passed, state survives a restart", async () => {
  const dataFile = path.join(dir, "state.json");
  const first = await start(dataFile);
  expect(first.services).toContain("portal");
  expect(first.describe()).toContain("portal API admin: apiadmin / changeme");

  const created = await fetch(`${first.axwayUrl}${P}/organizations`, {
    method: "POST",
    headers: { authorization: ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ name: "Persisted Through Core" }),
  });
  expect(created.status).toBe(201);
  const org = (await created.json()) as { id: string };
  const picture = Buffer.alloc(512, 7);
  picture.set([0xff, 0xd8, 0xff], 0);
  const fd = new FormData();
  fd.set("file", new Blob([new Uint8Array(picture)]), "a.jpg");
  const image = await fetch(`${first.axwayUrl}${P}/organizations/${org.id}/image/`, { method: "POST", headers: { authorization: ADMIN }, body: fd });
  expect(image.status).toBe(204);
  const tooBig = new FormData();
  tooBig.set("file", new Blob([new Uint8Array(Buffer.concat([picture, Buffer.alloc(4096)]))]), "b.jpg");
  expect((await fetch(`${first.axwayUrl}${P}/organizations/${org.id}/image`, { method: "POST", headers: { authorization: ADMIN }, body: tooBig })).status).toBe(413);

  const stats = first.stats();
  expect(stats.byRoute[`POST ${P}/organizations`]).toBe(1);
  expect(stats.byRoute[`POST ${P}/organizations/{id}/image`]).toBe(2);
  const saved = JSON.parse(readFileSync(dataFile, "utf8")) as { services: { portal: { organizations: Array<{ name: string }> } } };
  expect(saved.services.portal.organizations.map((o) => o.name)).toEqual(["Seeded Partner", "Persisted Through Core"]);
  await first.stop();

  const second = await start(dataFile);
  const got = await fetch(`${second.axwayUrl}${P}/organizations/${org.id}/image`, { headers: { authorization: ADMIN } });
  expect(got.status).toBe(200);
  expect(got.headers.get("content-type")).toBe("image/jpeg");
  expect(Buffer.from(await got.arrayBuffer()).equals(picture)).toBe(true);
  const proxies = (await (await fetch(`${second.axwayUrl}${P}/proxies?field=name&op=eq&value=Petstore`, { headers: { authorization: ADMIN } })).json()) as Array<{ id: string }>;
  expect(proxies.map((p) => p.id)).toEqual([stableUuid("proxy", "Petstore")]);
  const unauth = await fetch(`${second.axwayUrl}${P}/organizations`);
  expect(unauth.status).toBe(401);
  expect(unauth.headers.get("www-authenticate")).toBe('Basic realm="API Manager"');
});
