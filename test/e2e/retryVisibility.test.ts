// Retries and slow calls are shown to the user: `pulumi up` prints a line for each retry and
// for a call still running after 5 s, with no secret in it, and a run without faults prints
// none. Real CLI, both faces of the provider (the SDK's dynamic provider, whose notices belong
// to the stack, and the plugin, whose notices name the resource), the emulator's faults behind.
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { USERLAND } from "./paths";
import { TestStack, VENTUS_PASSWORD, emulator, type RunResult } from "./harness";

const AXWAY_PASSWORD = "changeme";
let emu: RunningEmulator;
afterEach(async () => emu?.stop());

/** The lines of the Diagnostics section, by the resource they are listed under. */
function diagnostics(r: RunResult): Record<string, string[]> {
  const section = r.output.split("\nDiagnostics:\n")[1]?.split(/\n(?:Outputs|Resources):\n/)[0] ?? "";
  const byResource: Record<string, string[]> = {};
  let current = "";
  for (const line of section.split("\n")) {
    const header = /^ {2}(\S.*):$/.exec(line);
    if (header) byResource[(current = header[1])] = [];
    else if (line.trim() && current) byResource[current].push(line.trim());
  }
  return byResource;
}

/** Retry and slow-call lines anywhere in the output. */
const notices = (r: RunResult) => r.output.split("\n").filter((l) => /retrying|still running/.test(l));

function expectNoSecrets(r: RunResult): void {
  for (const secret of [AXWAY_PASSWORD, VENTUS_PASSWORD, Buffer.from(`apiadmin:${AXWAY_PASSWORD}`).toString("base64")]) {
    expect(r.output).not.toContain(secret);
  }
}

const RETRIES = [
  "axway: retrying POST /api/portal/v1.3/organizations after HTTP 503 (attempt 2 of 7, next in 0.25 s)",
  "axway: retrying POST /api/portal/v1.3/organizations after HTTP 503 (attempt 3 of 7, next in 0.5 s)",
];
const SLOW = /^axway: PUT \/api\/portal\/v1\.3\/organizations\/\S+ still running after 5 s$/;

/**
 * A fault-free up of org-a and a destroy, neither with a notice; in between, an up that creates
 * org-b through two 503s and one that updates it against a 6 s answer, whose results it returns.
 */
async function runs(stack: TestStack, program: (orgs: Record<string, string>) => string): Promise<{ retried: RunResult; slow: RunResult }> {
  stack.writeProgram(program({ "org-a": "first" }));
  const quiet = await stack.up();

  emu.injectFault({ route: "^POST /api/portal/v1.3/organizations$", status: 503, count: 2 });
  stack.writeProgram(program({ "org-a": "first", "org-b": "second" }));
  const retried = await stack.up();

  emu.injectFault({ route: "^PUT /api/portal/v1.3/organizations/", delayMs: 6_000, count: 1 });
  stack.writeProgram(program({ "org-a": "first", "org-b": "changed" }));
  const slow = await stack.up();

  expect(notices(quiet)).toEqual([]);
  for (const r of [retried, slow]) expectNoSecrets(r);
  expect(notices(await stack.destroy())).toEqual([]);
  return { retried, slow };
}

test("SDK (dynamic provider): each retry and a slow call are shown, as the stack's messages; nothing when no call needed one", async () => {
  emu = await emulator();
  const program = (orgs: Record<string, string>) => `
const v = require("pulumi-ventus-axway");
for (const [name, description] of Object.entries(${JSON.stringify(orgs)})) {
  new v.PortalOrganization(name, { name, description });
}
`;
  const stack = await TestStack.create("retries", "", {
    config: { "axway:url": emu.axwayUrl, "axway:username": "apiadmin" },
    secrets: { "axway:password": AXWAY_PASSWORD },
  });
  const { retried, slow } = await runs(stack, program);
  // The dynamic provider is not told which resource it works on: the lines are the stack's.
  expect(diagnostics(retried)).toEqual({ "pulumi:pulumi:Stack (retries-test)": RETRIES });
  expect(diagnostics(slow)).toEqual({ "pulumi:pulumi:Stack (retries-test)": [expect.stringMatching(SLOW)] });
});

test("plugin (Pulumi YAML): the same lines, under the resource whose operation made the call", async () => {
  emu = await emulator();
  const program = (orgs: Record<string, string>) => `name: retries-yaml
runtime: yaml
plugins:
  providers:
    - name: ventus-axway
      path: node_modules/pulumi-ventus-axway
resources:
${Object.entries(orgs)
  .map(
    ([name, description]) =>
      `  ${name}:\n    type: ventus-axway:index:PortalOrganization\n    properties:\n      name: ${name}\n      description: ${description}\n`,
  )
  .join("")}`;
  const stack = await TestStack.create("retries-yaml", "", {
    config: { "ventus-axway:axwayUrl": emu.axwayUrl, "ventus-axway:axwayUsername": "apiadmin" },
    secrets: { "ventus-axway:axwayPassword": AXWAY_PASSWORD },
  });
  // A YAML project: Pulumi.yaml is the program, next to the installed package.
  fs.rmSync(path.join(stack.dir, "index.js"));
  fs.rmSync(path.join(stack.dir, "package.json"));
  fs.symlinkSync(path.join(USERLAND, "node_modules"), path.join(stack.dir, "node_modules"));
  stack.writeProgram = (source) => fs.writeFileSync(path.join(stack.dir, "Pulumi.yaml"), source);

  const { retried, slow } = await runs(stack, program);
  expect(diagnostics(retried)).toEqual({ "ventus-axway:index:PortalOrganization (org-b)": RETRIES });
  expect(diagnostics(slow)).toEqual({ "ventus-axway:index:PortalOrganization (org-b)": [expect.stringMatching(SLOW)] });
});
