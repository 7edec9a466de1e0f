// The package declares a range for @pulumi/pulumi, so a program keeps its own SDK and gets no
// second copy. Every other e2e test runs with the newest SDK the range allows that we test (the
// lockfile's); this one runs a program whose @pulumi/pulumi is the OLDEST the range allows, its
// lower bound, through the whole lifecycle: the dynamic providers then run on that SDK (the
// engine's launcher starts the program's `@pulumi/pulumi/cmd/dynamic-provider`). The install is
// offline: scripts/setup.sh filled npm's cache with that version.
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { AxwayClient } from "../../provider/clients/axway/client";
import { VentusClient } from "../../provider/clients/ventus/client";
import { OLDEST_SDK_VERSION, SDK_VERSION, WORK, installUserland } from "./paths";
import { TestStack, VENTUS_ORG, VENTUS_PASSWORD, VENTUS_USER, emulator, ventusConfig } from "./harness";

const USERLAND_OLDEST = path.join(WORK, `userland-sdk-${OLDEST_SDK_VERSION}`);

let emu: RunningEmulator;
beforeAll(() => {
  fs.rmSync(path.join(USERLAND_OLDEST, "projects"), { recursive: true, force: true });
  installUserland(USERLAND_OLDEST, OLDEST_SDK_VERSION);
});
beforeEach(async () => {
  emu = await emulator();
});
afterEach(async () => {
  await emu.stop();
});

const version = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version as string;

test(`a program on the oldest @pulumi/pulumi the package allows deploys, adopts, repairs drift and destroys`, async () => {
  // One SDK in the program's tree, the program's own: the package's range accepts it.
  const modules = path.join(USERLAND_OLDEST, "node_modules");
  expect(version(path.join(modules, "@pulumi/pulumi"))).toBe(OLDEST_SDK_VERSION);
  expect(OLDEST_SDK_VERSION).not.toBe(SDK_VERSION);
  expect(fs.existsSync(path.join(modules, "pulumi-ventus-axway/node_modules/@pulumi/pulumi"))).toBe(false);

  const ventus = new VentusClient({ authUrl: emu.url, apiUrl: emu.url, username: VENTUS_USER, password: VENTUS_PASSWORD, listCacheMs: 0 });
  const portal = new AxwayClient({ url: emu.axwayUrl, username: "apiadmin", password: "changeme" });
  try {
    const handmade = await ventus.createProject(VENTUS_ORG, "upper-austria", "made by hand");
    const base = ventusConfig(emu);
    const stack = await TestStack.create(
      "oldest-sdk",
      [
        `const v = require("pulumi-ventus-axway");`,
        `const web = new v.VentusProject("web", { region: "vienna", name: "web-frontend" });`,
        `const adopted = new v.VentusProject("adopted", { region: "upper-austria", name: "made by hand", importId: ${JSON.stringify(handmade.id)} });`,
        `const org = new v.PortalOrganization("org", { name: "Oldest SDK Partner", email: "partner@oldest.example" });`,
        `exports.webId = web.id; exports.webName = web.name; exports.adoptedId = adopted.id; exports.orgId = org.id; exports.dn = org.dn;`,
      ].join("\n"),
      {
        userland: USERLAND_OLDEST,
        config: { ...base.config, "axway:url": emu.axwayUrl, "axway:username": "apiadmin" },
        secrets: { ...base.secrets, "axway:password": "changeme" },
      },
    );

    await stack.up();
    const out = await stack.outputs();
    expect(out).toMatchObject({
      webName: "web-frontend",
      adoptedId: handmade.id,
      dn: "o=Oldest SDK Partner,ou=organizations,ou=APIPortal",
    });
    expect((await ventus.listProjects(VENTUS_ORG)).map((p) => p.name).sort()).toEqual(["made by hand", "web-frontend"]);
    await stack.expectNoChanges(true);

    // Drift: a rename behind Pulumi's back shows in a refresh preview, field by field (the refreshed
    // inputs read() returns, which the SDK's dynamic provider forwards since 3.216: 3.215 plans the
    // update without this line); `up --refresh` puts it back.
    await ventus.renameProject(VENTUS_ORG, "vienna", String(out.webId), "renamed-by-hand");
    const drift = await stack.preview("--refresh", "--expect-no-changes");
    expect(drift.code).not.toBe(0);
    expect(drift.output).toMatch(/name\s*:\s*"renamed-by-hand" => "web-frontend"/);
    await stack.pulumiOk(["up", "--yes", "--skip-preview", "--refresh"]);
    expect((await ventus.listProjects(VENTUS_ORG)).find((p) => p.id === out.webId)?.name).toBe("web-frontend");
    await stack.refresh();
    await stack.expectNoChanges();

    await stack.destroy();
    expect(await ventus.listProjects(VENTUS_ORG)).toEqual([]);
    expect(await portal.getOrganization(String(out.orgId))).toBeUndefined();
  } finally {
    await ventus.close();
    await portal.close();
  }
});
