// The YAML declarations loader: what examples/gitops declares, and every kind of mistake
// reported with its file, line, column and field (no network involved).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DeclarationError, loadDeclarations, type Declarations } from "../../../gitops/declarations";

const ROOT = path.resolve(__dirname, "../../..");
const TEAMS = path.join(ROOT, "examples/gitops/teams");

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pva-decl-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
}

/** The problems as `name:line:column: field: message`, the file by its base name. */
function problems(): string[] {
  try {
    loadDeclarations(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(DeclarationError);
    return (err as DeclarationError).problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.column}: ${p.field}: ${p.message}`);
  }
  throw new Error("expected a DeclarationError");
}

test("examples/gitops/teams: every organization field, grants by API name, codes and projects, under their keys", () => {
  const d: Declarations = loadDeclarations(TEAMS);
  expect(d.files.map((f) => path.basename(f))).toEqual(["payments.yaml", "weather.yaml"]);
  expect(d.organizations.map((o) => o.key)).toEqual(["acme-payments", "globex-weather"]);
  const acme = d.organizations[0];
  expect(acme).toMatchObject({
    name: "Acme Payments",
    email: "api-team@acme.example",
    phone: "+41 44 555 01 00",
    virtualHost: "acme.api.example.com",
    isTrial: true,
    trialDuration: 30,
    startTrialDate: Date.parse("2030-01-01T00:00:00Z"),
    endTrialDate: Date.parse("2030-01-31T00:00:00Z"),
    image: path.join(ROOT, "examples/gitops/logos/payments.jpg"),
    origin: { file: path.join(TEAMS, "payments.yaml"), line: 6, column: 3 },
  });
  expect(acme.apis).toEqual([
    { apiName: "Payments v2", enabled: true },
    { apiName: "Petstore", enabled: true },
  ]);
  expect(acme.registrationCodes).toEqual([{ key: "onboarding", userQuota: 25, expiry: Date.parse("2030-12-31T23:59:59Z"), enabled: true }]);
  // Left out, the portal's defaults are declared: a change by hand is drift.
  expect(d.organizations[1]).toMatchObject({ enabled: true, development: true, restricted: false, isTrial: false });
  expect(d.organizations[1].apis).toEqual([{ apiName: "Weather", enabled: true }]);
  expect(d.ventusProjects).toEqual([
    expect.objectContaining({ key: "payments-api", name: "payments-api", region: "vienna" }),
    expect.objectContaining({ key: "weather-dashboard", name: "weather-dashboard", region: "eastern-switzerland" }),
  ]);
});

test("a wrong value is reported at the value, an unknown field at its key, a missing one at its object", () => {
  write({
    "team.yaml": [
      "organizations:", //                      1
      "  acme:", //                             2
      "    name: Acme", //                      3
      "    email: not-an-email", //             4
      "    emial: x@acme.example", //           5
      "    trialDuration: -1", //               6
      "    apis:", //                           7
      "      Petstore: { enabld: true }", //    8
      "  nameless:", //                         9
      "    description: no name", //            10
      "ventusProjects:", //                     11
      "  web: { name: web, region: 'no way' }", // 12
    ].join("\n"),
  });
  expect(problems()).toEqual([
    "team.yaml:4:12: organizations.acme.email: must be an email address such as support@example.com",
    'team.yaml:5:5: organizations.acme.emial: unknown field "emial"',
    "team.yaml:6:20: organizations.acme.trialDuration: must be 0 or more",
    'team.yaml:8:19: organizations.acme.apis.Petstore.enabld: unknown field "enabld"',
    "team.yaml:9:3: organizations.nameless.name: is required",
    expect.stringMatching(/^team\.yaml:12:29: ventusProjects\.web\.region: must be a region name of letters, digits and dashes/),
  ]);
});

test("keys must be stable names; codes' keys too", () => {
  write({
    "team.yaml":
      "organizations:\n  Acme Corp:\n    name: Acme\n    registrationCodes:\n      First_Code: {}\nventusProjects:\n  -web: { name: web, region: vienna }\n",
  });
  expect(problems()).toEqual([
    expect.stringMatching(/^team\.yaml:2:3: organizations\.Acme Corp: a key must be 1 to 63 lower-case letters.*\(got "Acme Corp"\)$/),
    expect.stringMatching(/^team\.yaml:5:7: organizations\.Acme Corp\.registrationCodes\.First_Code: a key must be/),
    expect.stringMatching(/^team\.yaml:7:3: ventusProjects\.-web: a key must be/),
  ]);
});

test("YAML syntax errors, a duplicate key within a file, a missing image and unknown top-level fields", () => {
  write({
    "a.yaml": "organizations:\n  x:\n    name: [unclosed\n",
    "b.yaml": "organizations:\n  x: { name: X }\n  x: { name: Y }\n",
    "c.yaml": "organizations:\n  c:\n    name: C\n    image: logos/missing.jpg\n",
    "d.yaml": "organisations:\n  d: { name: D }\n",
  });
  const found = problems();
  expect(found).toHaveLength(4);
  expect(found[0]).toMatch(/^a\.yaml:\d+:\d+: .*(flow|indented|\])/i);
  expect(found[1]).toMatch(/^b\.yaml:3:3: : Map keys must be unique/);
  expect(found[2]).toBe(`c.yaml:4:12: organizations.c.image: no such file: ${path.join(dir, "logos/missing.jpg")}`);
  expect(found[3]).toBe('d.yaml:1:1: organisations: unknown field "organisations" (a file holds organizations and ventusProjects)');
});

test("two teams declaring the same organization name, or the same key, is an error naming both places", () => {
  write({
    "payments.yaml": "organizations:\n  acme:\n    name: Acme\nventusProjects:\n  web: { name: web, region: vienna }\n",
    "weather.yaml":
      "# weather\norganizations:\n  acme-weather:\n    name: Acme\n  acme:\n    name: Other\nventusProjects:\n  web: { name: web2, region: vienna }\n",
  });
  const cwdRel = (f: string) => path.relative(process.cwd(), path.join(dir, f));
  const shown = (f: string) => (cwdRel(f).startsWith("..") ? path.join(dir, f) : cwdRel(f));
  expect(problems()).toEqual([
    `weather.yaml:3:3: organizations.acme-weather.name: the organization name "Acme" is already declared at ${shown("payments.yaml")}:2:3 (organizations.acme)`,
    `weather.yaml:5:3: organizations.acme: the key "acme" is already declared at ${shown("payments.yaml")}:2:3`,
    `weather.yaml:8:3: ventusProjects.web: the key "web" is already declared at ${shown("payments.yaml")}:5:3`,
  ]);
});

test("names and keys are compared across files even when a file has other problems: every mistake at once", () => {
  write({
    "a.yaml": "organizations:\n  acme:\n    name: Acme\n",
    "b.yaml": "organizations:\n  b:\n    name: B\n    email: nope\n  acme-2:\n    name: Acme\n",
  });
  expect(problems()).toEqual([
    "b.yaml:4:12: organizations.b.email: must be an email address such as support@example.com",
    expect.stringMatching(
      /^b\.yaml:5:3: organizations\.acme-2\.name: the organization name "Acme" is already declared at .*a\.yaml:2:3 \(organizations\.acme\)$/,
    ),
  ]);
});

test("the error message is one file:line:column line per problem, the file relative to the working directory", () => {
  const sub = fs.mkdtempSync(path.join(process.cwd(), ".work-decl-"));
  try {
    fs.writeFileSync(path.join(sub, "t.yml"), "organizations:\n  a:\n    name: A\n    enabled: yes-please\n");
    expect(() => loadDeclarations(sub)).toThrow(
      `${path.relative(process.cwd(), path.join(sub, "t.yml"))}:4:14: organizations.a.enabled: must be true or false`,
    );
  } finally {
    fs.rmSync(sub, { recursive: true, force: true });
  }
});

test("a folder without YAML files, or no folder at all, is an error too", () => {
  expect(problems()).toEqual([`${path.basename(dir)}:1:1: : no .yaml or .yml file in this folder`]);
  expect(() => loadDeclarations(path.join(dir, "absent"))).toThrow(/absent:1:1: cannot read the folder \(ENOENT\)/);
});

test("an empty file and an empty grant are fine; codes take the provider's rules", () => {
  write({
    "empty.yaml": "# nothing yet\n",
    "t.yaml": "organizations:\n  t:\n    name: T\n    apis:\n      Weather:\n    registrationCodes:\n      c: { userQuota: 1.5 }\n",
  });
  expect(problems()).toEqual(["t.yaml:7:23: organizations.t.registrationCodes.c.userQuota: must be a whole number"]);
  write({ "t.yaml": "organizations:\n  t:\n    name: T\n    apis:\n      Weather:\n" });
  expect(loadDeclarations(dir).organizations[0].apis).toEqual([{ apiName: "Weather", enabled: true }]);
});
