// VentusProject and the Ventus functions through the real Pulumi CLI, against the emulator.
import type { RunningEmulator } from "../../emulator";
import { VentusClient } from "../../provider/clients/ventus/client";
import { TestStack, VENTUS_ORG, VENTUS_PASSWORD, VENTUS_USER, emulator, ventusConfig } from "./harness";

interface Decl {
  res: string;
  region: string;
  name: string;
  importId?: string;
}

/** A JavaScript Pulumi program declaring these projects, exporting id, name and regionName of each. */
function program(projects: Decl[], opts: { prices?: boolean } = {}): string {
  const lines = [`const v = require("pulumi-ventus-axway");`];
  for (const p of projects) {
    const args = JSON.stringify({ region: p.region, name: p.name, ...(p.importId ? { importId: p.importId } : {}) });
    lines.push(`const ${p.res} = new v.VentusProject(${JSON.stringify(p.res)}, ${args});`);
    lines.push(`exports.${p.res} = { id: ${p.res}.id, name: ${p.res}.name, region: ${p.res}.region, regionName: ${p.res}.regionName };`);
  }
  if (opts.prices) lines.push(`exports.vc1 = v.getPrices().then((p) => p.chf.flavors.find((f) => f.name === "VC-1").base);`);
  return lines.join("\n") + "\n";
}

type Out = { id: string; name: string; region: string; regionName: string };

let emu: RunningEmulator;
let api: VentusClient;
/** The organization's projects as the service lists them (fresh each call). */
const serverProjects = async () => {
  const fresh = new VentusClient({ authUrl: emu.url, apiUrl: emu.url, username: VENTUS_USER, password: VENTUS_PASSWORD, listCacheMs: 0 });
  try {
    return await fresh.listProjects(VENTUS_ORG);
  } finally {
    await fresh.close();
  }
};

beforeEach(async () => {
  emu = await emulator();
  api = new VentusClient({ authUrl: emu.url, apiUrl: emu.url, username: VENTUS_USER, password: VENTUS_PASSWORD, listCacheMs: 0 });
});
afterEach(async () => {
  await api.close();
  await emu.stop();
});

test("create, no-op preview, rename in place, region change replaces, destroy leaves nothing", async () => {
  const decl: Decl[] = [
    { res: "alpha", region: "Eastern-Switzerland", name: "Alpha" },
    { res: "beta", region: "vienna", name: "Beta" },
  ];
  const stack = await TestStack.create("lifecycle", program(decl, { prices: true }), ventusConfig(emu));

  await stack.up();
  const out1 = await stack.outputs();
  const alpha = out1.alpha as Out;
  const beta = out1.beta as Out;
  expect(alpha).toMatchObject({ name: "Alpha", region: "eastern-switzerland", regionName: "Eastern-Switzerland" });
  expect(beta).toMatchObject({ name: "Beta", region: "vienna", regionName: "Vienna" });
  expect(out1.vc1).toBe(0.0121);
  expect((await serverProjects()).map((p) => [p.id, p.name, p.region]).sort()).toEqual(
    [
      [alpha.id, "Alpha", "Eastern-Switzerland"],
      [beta.id, "Beta", "Vienna"],
    ].sort(),
  );

  // A second preview changes nothing, and the only API calls are the program's getPrices.
  emu.resetStats();
  await stack.expectNoChanges();
  expect(emu.stats().byRoute).toEqual({
    "GET /get-tokens": 1,
    "GET /v1.0/invoke/gotham-bank/method/prices": 1,
  });

  // Rename: an update in place, same id.
  decl[0].name = "Alpha Renamed";
  stack.writeProgram(program(decl, { prices: true }));
  const renamePreview = await stack.preview();
  expect(renamePreview.code).toBe(0);
  expect(renamePreview.output).toMatch(/~ 1 to update/);
  expect(renamePreview.output).not.toMatch(/to replace/);
  await stack.up();
  const out2 = await stack.outputs();
  expect((out2.alpha as Out).id).toBe(alpha.id);
  expect((await serverProjects()).find((p) => p.id === alpha.id)?.name).toBe("Alpha Renamed");
  await stack.expectNoChanges();

  // Region: the diff says it replaces, and why.
  decl[1].region = "Upper-Austria";
  stack.writeProgram(program(decl, { prices: true }));
  const replacePreview = await stack.preview();
  expect(replacePreview.code).toBe(0);
  expect(replacePreview.output).toMatch(/\+-1 to replace/);
  expect(replacePreview.output).toMatch(/region\s*:\s*"vienna" => "upper-austria"/);
  await stack.up();
  const newBeta = (await stack.outputs()).beta as Out;
  expect(newBeta.id).not.toBe(beta.id);
  expect(newBeta).toMatchObject({ region: "upper-austria", regionName: "Upper-Austria", name: "Beta" });
  const afterReplace = await serverProjects();
  expect(afterReplace.map((p) => p.id)).not.toContain(beta.id);
  expect(afterReplace.find((p) => p.id === newBeta.id)?.region).toBe("Upper-Austria");
  await stack.expectNoChanges();

  // State holds a one-line provider that requires the installed package, and no credentials.
  const resources = (await stack.state()).filter((r) => r.type.endsWith("VentusProject"));
  expect(resources).toHaveLength(2);
  for (const r of resources) {
    for (const props of [r.inputs, r.outputs]) {
      expect(props?.__provider).toBe('exports.handler = () => require("pulumi-ventus-axway/providers/ventusProject");');
    }
  }
  const raw = stack.rawStateFile();
  expect(raw).not.toContain(VENTUS_PASSWORD);
  expect(raw).not.toMatch(/eyJ[\w-]+\.eyJ/); // no token either

  await stack.destroy();
  expect(await serverProjects()).toEqual([]);
  expect((await stack.state()).filter((r) => r.type.endsWith("VentusProject"))).toEqual([]);
});

test("refresh finds an out-of-band rename and an out-of-band delete", async () => {
  const decl: Decl[] = [{ res: "gamma", region: "vienna", name: "Gamma" }];
  const stack = await TestStack.create("drift", program(decl), ventusConfig(emu));
  await stack.up();
  const gamma = (await stack.outputs()).gamma as Out;

  await api.renameProject(VENTUS_ORG, "vienna", gamma.id, "changed by hand");
  const drift = await stack.preview("--refresh", "--expect-no-changes");
  expect(drift.code).not.toBe(0);
  expect(drift.output).toMatch(/name\s*:\s*"changed by hand" => "Gamma"/);

  await stack.refresh();
  expect((await stack.resource("VentusProject", "gamma"))?.outputs?.name).toBe("changed by hand");
  await stack.up(); // declared name wins again
  expect((await serverProjects()).find((p) => p.id === gamma.id)?.name).toBe("Gamma");
  await stack.expectNoChanges(true);

  await api.deleteProject(VENTUS_ORG, "vienna", gamma.id);
  await stack.refresh();
  expect(await stack.resource("VentusProject", "gamma")).toBeUndefined();
  await stack.up(); // recreated
  const recreated = (await stack.outputs()).gamma as Out;
  expect(recreated.id).not.toBe(gamma.id);
  expect((await serverProjects()).map((p) => p.name)).toEqual(["Gamma"]);
  await stack.expectNoChanges(true);

  // Destroying what was deleted by hand meanwhile is not an error.
  await api.deleteProject(VENTUS_ORG, "vienna", recreated.id);
  await stack.destroy();
  expect(await serverProjects()).toEqual([]);
});

test("adopts a project made by hand, by id, without a duplicate", async () => {
  const handmade = await api.createProject(VENTUS_ORG, "upper-austria", "made by hand");
  const decl: Decl[] = [{ res: "adopted", region: "upper-austria", name: "now managed", importId: handmade.id }];
  const stack = await TestStack.create("adopt", program(decl), ventusConfig(emu));

  await stack.up();
  const out = (await stack.outputs()).adopted as Out;
  expect(out.id).toBe(handmade.id);
  const projects = await serverProjects();
  expect(projects).toHaveLength(1);
  expect(projects[0]).toMatchObject({ id: handmade.id, name: "now managed" });
  await stack.expectNoChanges(true);

  // An id that is not there is an error that names the field, and creates nothing.
  const wrong: Decl[] = [...decl, { res: "ghost", region: "vienna", name: "ghost", importId: "000000000000000000000000" }];
  stack.writeProgram(program(wrong));
  const failed = await stack.pulumi(["up", "--yes", "--skip-preview"]);
  expect(failed.code).not.toBe(0);
  expect(failed.output).toMatch(/importId: no project 000000000000000000000000/);
  expect(await serverProjects()).toHaveLength(1);

  stack.writeProgram(program(decl));
  await stack.destroy();
  expect(await serverProjects()).toEqual([]);
});

test("bad input fails at preview, names the field and the rule, and calls no API", async () => {
  const stack = await TestStack.create("badinput", program([{ res: "p", region: "vienna", name: "" }]), ventusConfig(emu));
  const cases: Array<[Decl[], RegExp]> = [
    [[{ res: "p", region: "vienna", name: "   " }], /name: must not be empty/],
    [[{ res: "p", region: "mars/x", name: "x" }], /region: must be a region name of letters, digits and dashes/],
  ];
  for (const [decl, message] of cases) {
    stack.writeProgram(program(decl));
    emu.resetStats();
    const r = await stack.preview();
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(message);
    expect(emu.stats().total).toBe(0);
  }

  const noCreds = await TestStack.create("nocreds", program([{ res: "p", region: "vienna", name: "x" }]), {
    config: { "ventus:organizationId": VENTUS_ORG, "ventus:authUrl": emu.url, "ventus:apiUrl": emu.url },
  });
  emu.resetStats();
  const r = await noCreds.preview();
  expect(r.code).not.toBe(0);
  expect(r.output).toMatch(
    /Ventus Cloud credentials are not configured: set ventus:username \(or VENTUS_USERNAME\), ventus:password \(or VENTUS_PASSWORD\)/,
  );
  expect(emu.stats().total).toBe(0);
  expect(r.output).not.toContain(VENTUS_PASSWORD);
});

test("transient failures are retried with backoff; a create the server refused is retried, one that failed for good leaves nothing", async () => {
  const decl: Decl[] = [{ res: "delta", region: "vienna", name: "Delta" }];
  const stack = await TestStack.create("faults", program(decl), ventusConfig(emu));
  const POST_ROUTE = "POST /v1.0/invoke/gotham-{region}-identity/method/{org}/projects/{name}";

  // A 400 is final: the create fails once, and no project exists.
  emu.injectFault({ route: "^POST /v1.0/invoke/gotham-\\{region\\}-identity", status: 400, count: 1 });
  const failed = await stack.pulumi(["up", "--yes", "--skip-preview"]);
  expect(failed.code).not.toBe(0);
  expect(failed.output).toMatch(/ventus: POST \/v1\.0\/invoke\/gotham-vienna-identity\/method\/.*\/projects\/Delta failed with HTTP 400/);
  expect(await serverProjects()).toEqual([]);
  expect(await stack.resource("VentusProject", "delta")).toBeUndefined();

  // A 503 says the server did not act on the POST: it is sent again, and one project results.
  emu.resetStats();
  emu.injectFault({ route: "^POST /v1.0/invoke/gotham-\\{region\\}-identity", status: 503, count: 1, retryAfter: 0 });
  await stack.up();
  expect(emu.stats().byRoute[POST_ROUTE]).toBe(2);
  const delta = (await stack.outputs()).delta as Out;
  expect((await serverProjects()).map((p) => p.id)).toEqual([delta.id]);

  // Idempotent calls ride out 503s and a dropped connection.
  decl[0].name = "Delta 2";
  stack.writeProgram(program(decl));
  emu.resetStats();
  emu.injectFault({ route: "^PUT ", status: 503, count: 2, retryAfter: 0 });
  emu.injectFault({ route: "^PUT ", reset: true, count: 1 });
  await stack.up();
  expect(emu.stats().byRoute["PUT /v1.0/invoke/gotham-{region}-identity/method/{org}/projects/{id}"]).toBe(4);
  expect((await serverProjects()).find((p) => p.id === delta.id)?.name).toBe("Delta 2");

  emu.resetStats();
  emu.injectFault({ route: "^GET /v1.0/invoke/gotham-enterprises", status: 502, count: 2 });
  await stack.refresh();
  expect(emu.stats().byRoute["GET /v1.0/invoke/gotham-enterprises/method/orgs/{org}/projects"]).toBe(3);
  await stack.destroy();
});
