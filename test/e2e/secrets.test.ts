// Secrets (both passwords, Ventus' tokens, registration codes) never appear in plain text in
// state, CLI output, error messages or this provider's logs. Verbose engine logs are the one
// place they do, written by Pulumi itself: this test shows where, and the README says so.
import type { RunningEmulator } from "../../emulator";
import { TestStack, VENTUS_PASSWORD, emulator, ventusConfig } from "./harness";

const AXWAY_PASSWORD = "changeme";
let emu: RunningEmulator;
afterEach(async () => emu?.stop());

const program = (extra = "") => `
const v = require("pulumi-ventus-axway");
new v.VentusProject("project", { region: "vienna", name: "secretive" });
const org = new v.PortalOrganization("org", { name: "Secret Keepers" });
const code = new v.RegistrationToken("code", { organizationId: org.id, userQuota: 4, expiry: "2031-01-01T00:00:00Z" });
exports.orgId = org.id;
exports.code = code.token;
${extra}
`;

/** Where a value occurs in a text, as whole tokens (a 6-digit code inside a timestamp does not count). */
const occurrences = (text: string, secret: string) =>
  text
    .split("\n")
    .filter((line) => new RegExp(`(?<![0-9A-Za-z])${secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![0-9A-Za-z])`).test(line));

test("passwords, tokens and registration codes stay out of state, output, errors and the provider's logs", async () => {
  emu = await emulator();
  const settings = ventusConfig(emu);
  const stack = await TestStack.create("secrets", program(), {
    config: { ...settings.config, "axway:url": emu.axwayUrl, "axway:username": "apiadmin" },
    secrets: { ...settings.secrets, "axway:password": AXWAY_PASSWORD },
  });

  const texts: Record<string, string> = {};
  texts.up = (await stack.pulumiOk(["up", "--yes", "--skip-preview", "--diff"])).output;
  const code = String((await stack.outputs()).code);
  expect(code).toMatch(/^\d{6}$/);
  texts.preview = (await stack.pulumiOk(["preview", "--diff", "--refresh"])).output;
  texts.outputs = (await stack.pulumiOk(["stack", "output", "--json"])).output;
  texts.export = (await stack.pulumiOk(["stack", "export"])).output;
  texts.stateFile = stack.rawStateFile();
  texts.history = (await stack.pulumiOk(["stack", "history", "--json"])).output;

  // An error whose path holds the code: the portal refuses the code's update.
  emu.injectFault({ route: "^PUT .*/tokens/", status: 400, count: 20 });
  stack.writeProgram(program().replace("userQuota: 4", "userQuota: 6"));
  const failed = await stack.pulumi(["up", "--yes", "--skip-preview"]);
  expect(failed.code).not.toBe(0);
  expect(failed.output).toMatch(/PUT \/organizations\/[^/]+\/tokens\/\*\*\* failed with HTTP 400/);
  texts.error = failed.output;
  emu.clearFaults();

  // The provider's own verbose logging (-v=3 and up goes to the engine's log).
  stack.writeProgram(
    program(
      `const second = new v.RegistrationToken("second", { organizationId: org.id, userQuota: 2, expiry: "2032-01-01T00:00:00Z" }); exports.second = second.token;`,
    ),
  );
  const verbose = await stack.pulumiOk(["up", "--yes", "--skip-preview", "--refresh", "--logtostderr", "-v=3"]);
  const second = String((await stack.outputs()).second);
  const jwt = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;
  for (const [where, text] of Object.entries(texts)) {
    expect({ where, password: occurrences(text, VENTUS_PASSWORD) }).toEqual({ where, password: [] });
    expect({ where, password: occurrences(text, AXWAY_PASSWORD) }).toEqual({ where, password: [] });
    expect({ where, code: occurrences(text, code) }).toEqual({ where, code: [] });
    expect({ where, jwt: jwt.test(text) }).toEqual({ where, jwt: false });
  }
  expect(occurrences(verbose.output, VENTUS_PASSWORD)).toEqual([]);
  expect(occurrences(verbose.output, AXWAY_PASSWORD)).toEqual([]);
  expect(jwt.test(verbose.output)).toBe(false);
  // At -v=3 the code does appear, in Pulumi's Node.js SDK's own record of the engine's
  // answers (the outputs it received, secrets included), and nowhere else.
  const leaks = [...occurrences(verbose.output, code), ...occurrences(verbose.output, second)];
  console.log(`-v=3: the codes appear on ${leaks.length} line(s):\n${leaks.map((l) => l.slice(0, 300)).join("\n")}`);
  for (const line of leaks) expect(line).toMatch(/(RegisterResource|ReadResource|Invoke) RPC (finished|prepared)|RegisterResourceOutputs/);

  await stack.destroy();
});
