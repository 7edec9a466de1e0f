// The programs in examples/ are documentation: each must deploy as written (TypeScript,
// through the real CLI), plan nothing more afterwards, and destroy cleanly.
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { AxwayClient } from "../../provider/clients/axway/client";
import { VentusClient } from "../../provider/clients/ventus/client";
import { ROOT } from "./paths";
import { TestStack, VENTUS_ORG, VENTUS_PASSWORD, VENTUS_USER, emulator, ventusConfig } from "./harness";

let emu: RunningEmulator;
beforeEach(async () => {
  emu = await emulator();
});
afterEach(async () => {
  await emu.stop();
});

async function deployExample(
  name: string,
  config: Record<string, string> = {},
): Promise<{ stack: TestStack; outputs: Record<string, unknown> }> {
  const src = path.join(ROOT, "examples", name);
  const base = ventusConfig(emu);
  const stack = await TestStack.create(`example-${name}`, fs.readFileSync(path.join(src, "index.ts"), "utf8"), {
    typescript: true,
    config: { ...base.config, "axway:url": emu.axwayUrl, "axway:username": "apiadmin", ...config },
    secrets: { ...base.secrets, "axway:password": "changeme" },
  });
  for (const f of fs.readdirSync(src)) {
    if (/\.(jpg|jpeg)$/.test(f) || f === "tsconfig.json") fs.copyFileSync(path.join(src, f), path.join(stack.dir, f));
  }
  await stack.up();
  return { stack, outputs: await stack.outputs() };
}

test("examples/quickstart deploys the GitOps example's teams, is stable, and destroys", async () => {
  const teams = path.join(ROOT, "examples/gitops/teams");
  const { stack, outputs } = await deployExample("quickstart", { "example-quickstart:teams": teams });
  expect(outputs).toMatchObject({ vc1PricePerHourChf: 0.0121 });
  expect(Object.keys(outputs.organizationIds as object).sort()).toEqual(["acme-payments", "globex-weather"]);
  expect(Object.keys(outputs.ventusProjectIds as object).sort()).toEqual(["payments-api", "weather-dashboard"]);
  await stack.expectNoChanges(true);
  await stack.destroy();
  const ventus = new VentusClient({ authUrl: emu.url, apiUrl: emu.url, username: VENTUS_USER, password: VENTUS_PASSWORD, listCacheMs: 0 });
  expect(await ventus.listProjects(VENTUS_ORG)).toEqual([]);
  await ventus.close();
});

test("examples/portal deploys, is stable, and destroys", async () => {
  const { stack, outputs } = await deployExample("portal");
  expect(outputs.organizationDn).toBe("o=Acme Partner,ou=organizations,ou=APIPortal");
  expect(outputs.registrationCode).toMatch(/^\d{6}$/);
  expect((outputs.grantedApis as string[]).length).toBe(2);
  await stack.expectNoChanges(true);
  await stack.destroy();
  const portal = new AxwayClient({ url: emu.axwayUrl, username: "apiadmin", password: "changeme" });
  expect(await portal.getOrganization(String(outputs.organizationId))).toBeUndefined();
  await portal.close();
});
