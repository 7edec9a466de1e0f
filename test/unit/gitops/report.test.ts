// The drift report: built from refresh-preview engine events (their shape as the pinned engine
// sends them), checked against the JSON Schema shipped in the package, and rendered.
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { glob, registrationCodeId } from "../../../gitops/drift";
import { finish, fromRefreshEvents, inputChanges, renderMarkdown, renderText, type DriftReport } from "../../../gitops/report";

const ROOT = path.resolve(__dirname, "../../..");
const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, "schemas/drift-report.schema.json"), "utf8"));

function schemaValidator() {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    formats: { "date-time": (s: string) => /^\d{4}-\d\d-\d\dT/.test(s) && !Number.isNaN(Date.parse(s)) },
  });
  return ajv.compile(SCHEMA);
}

const T = "pulumi-nodejs:dynamic/pulumi-ventus-axway:";
const PROVIDER = "exports.handler = __f0; // the serialized provider";
/** How the engine's events carry a secret value. */
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "[secret]" };

function outputsEvent(
  op: string,
  type: string,
  name: string,
  old?: Record<string, unknown>,
  now?: Record<string, unknown>,
  custom = true,
): EngineEvent {
  const urn = `urn:pulumi:prod::gitops::${type}::${name}`;
  const state = (inputs: Record<string, unknown>) => ({
    type,
    urn,
    custom,
    id: `id-${name}`,
    parent: "",
    inputs: { __provider: PROVIDER, ...inputs },
    outputs: { __provider: PROVIDER, ...inputs },
  });
  return {
    sequence: 1,
    timestamp: 1,
    resOutputsEvent: {
      metadata: { op, urn, type, provider: "", old: old && state(old), new: now && state(now) },
    },
  } as unknown as EngineEvent;
}

const EVENTS: EngineEvent[] = [
  outputsEvent("same", "pulumi:pulumi:Stack", "gitops-prod", {}, {}, false),
  outputsEvent("same", "pulumi:providers:pulumi-nodejs", "default", {}, {}),
  outputsEvent(
    "update",
    `${T}PortalOrganization`,
    "acme",
    { name: "Acme", email: "a@acme.example", enabled: true },
    { name: "Acme", email: "b@acme.example", enabled: true },
  ),
  outputsEvent("update", `${T}OrganizationApiAccess`, "acme/Petstore", { enabled: true, apiId: "p" }, { enabled: false, apiId: "p" }),
  outputsEvent("delete", `${T}VentusProject`, "web", { name: "web", region: "vienna" }, undefined),
  outputsEvent("same", `${T}RegistrationToken`, "acme/onboarding", { userQuota: 5, token: SECRET }, { userQuota: 5, token: SECRET }),
];

test("drifted fields are inputs (state → service); deletes are their own section; the stack, providers and unchanged resources are not drift", () => {
  const r = fromRefreshEvents(EVENTS);
  expect(r.resources).toBe(4);
  expect(r.drifted).toEqual([
    {
      urn: `urn:pulumi:prod::gitops::${T}OrganizationApiAccess::acme/Petstore`,
      type: "OrganizationApiAccess",
      name: "acme/Petstore",
      id: "id-acme/Petstore",
      changes: [{ field: "enabled", before: true, after: false }],
    },
    {
      urn: `urn:pulumi:prod::gitops::${T}PortalOrganization::acme`,
      type: "PortalOrganization",
      name: "acme",
      id: "id-acme",
      changes: [{ field: "email", before: "a@acme.example", after: "b@acme.example" }],
    },
  ]);
  expect(r.deleted).toEqual([{ urn: `urn:pulumi:prod::gitops::${T}VentusProject::web`, type: "VentusProject", name: "web", id: "id-web" }]);
});

test("an update that moves only outputs (a code's remaining places) is not drift", () => {
  const e = outputsEvent("update", `${T}RegistrationToken`, "acme/onboarding", { userQuota: 5 }, { userQuota: 5 });
  (e.resOutputsEvent!.metadata.new!.outputs as Record<string, unknown>).remainingUsers = 4;
  expect(fromRefreshEvents([e]).drifted).toEqual([]);
});

test("secrets are shown as [secret], absent values as null, the serialized provider never", () => {
  expect(inputChanges({ __provider: "a", token: "plain", quota: 1 }, { __provider: "b", token: SECRET })).toEqual([
    { field: "quota", before: 1, after: null },
    { field: "token", before: "plain", after: "[secret]" },
  ]);
  // Two secrets cannot be compared: both are masked.
  expect(inputChanges({ token: SECRET }, { token: SECRET })).toEqual([]);
  expect(inputChanges({ tags: { a: 1, b: [1, 2] } }, { tags: { b: [1, 2], a: 1 } })).toEqual([]);
});

function report(over: Partial<Parameters<typeof finish>[0]> = {}): DriftReport {
  const { drifted, deleted } = fromRefreshEvents(EVENTS);
  return finish({
    project: "gitops",
    stack: "prod",
    resources: 4,
    scanned: { portal: true, ventus: true },
    drifted,
    deleted,
    undeclared: [
      { service: "portal", type: "PortalOrganization", id: "o-1", name: "Made | by hand" },
      { service: "ventus", type: "VentusProject", id: "p-1", name: "scratch", organizationId: "org", region: "Vienna" },
      {
        service: "portal",
        type: "RegistrationToken",
        id: registrationCodeId("123456"),
        name: "registration code",
        organizationId: "o-2",
        organizationName: "Acme",
      },
    ],
    generatedAt: new Date("2030-01-01T00:00:00Z"),
    ...over,
  });
}

test("the JSON report validates against schemas/drift-report.schema.json, and the schema rejects what it should", () => {
  const validate = schemaValidator();
  const r = report();
  expect(r).toMatchObject({ schemaVersion: 1, drift: true, summary: { resources: 4, drifted: 2, deleted: 1, undeclared: 3 } });
  expect(validate(JSON.parse(JSON.stringify(r)))).toBe(true);
  const clean = report({ drifted: [], deleted: [], undeclared: [] });
  expect(clean.drift).toBe(false);
  expect(validate(clean)).toBe(true);

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mutates the report's JSON at will
  const broken = (mutate: (r: any) => void) => {
    const copy = JSON.parse(JSON.stringify(r));
    mutate(copy);
    return validate(copy);
  };
  expect(broken((x) => delete x.summary)).toBe(false);
  expect(broken((x) => (x.schemaVersion = 2))).toBe(false);
  expect(broken((x) => (x.drifted[0].changes = []))).toBe(false);
  expect(broken((x) => delete x.drifted[0].changes[0].before)).toBe(false);
  expect(broken((x) => (x.deleted[0].extra = 1))).toBe(false);
  expect(r.undeclared.map((u) => u.type)).toEqual(["PortalOrganization", "RegistrationToken", "VentusProject"]);
  expect(broken((x) => (x.undeclared[2].service = "portal"))).toBe(false); // a Ventus project is on ventus
  expect(broken((x) => delete x.undeclared[1].organizationId)).toBe(false); // a code belongs to an organization
  expect(broken((x) => (x.undeclared[0].type = "Team"))).toBe(false);
  expect(broken((x) => (x.generatedAt = "yesterday"))).toBe(false);
});

test("the terminal table shows each change as last applied → now, and the sections apart", () => {
  const text = renderText(report());
  expect(text).toContain("Stack prod (project gitops): 4 resources read. Drift found:");
  expect(text).toMatch(/Changed outside Pulumi \(2\):\n\s+RESOURCE\s+FIELD\s+LAST APPLIED\s+NOW ON THE SERVICE\n/);
  expect(text).toMatch(/OrganizationApiAccess acme\/Petstore\s+enabled\s+true\s+false\n/);
  expect(text).toMatch(/PortalOrganization acme\s+email\s+"a@acme\.example"\s+"b@acme\.example"\n/);
  expect(text).toMatch(/Deleted outside Pulumi \(1\):\n\s+RESOURCE\s+ID\n\s+VentusProject web\s+id-web\n/);
  expect(text).toContain('portal organization "Made | by hand" (id o-1)');
  expect(text).toContain('Ventus project "scratch" in Vienna (id p-1)');
  expect(text).toContain(`registration code [secret] of "Acme" (id ${registrationCodeId("123456")})`);
  expect(text).not.toContain("123456");
  expect(renderText(report({ drifted: [], deleted: [], undeclared: [] }))).toBe(
    "Stack prod (project gitops): 4 resources read. No drift: everything declared is as declared on the services.\n",
  );
});

test("the Markdown summary has a table per section and escapes what would break it", () => {
  const md = renderMarkdown(report());
  expect(md).toContain("**2 changed, 1 deleted, 3 not declared**");
  expect(md).toContain('| PortalOrganization acme | `email` | `"a@acme.example"` | `"b@acme.example"` |');
  expect(md).toContain("| VentusProject web | `id-web` |");
  expect(md).toContain('- portal organization "Made \\| by hand" (id o-1)');
  expect(renderMarkdown(report({ drifted: [], deleted: [], undeclared: [], scanned: { portal: true, ventus: false } }))).toContain(
    "No drift: 4 resources read, all as declared (not listed for undeclared objects, no credentials: ventus).",
  );
});

test("--ignore globs match whole names", () => {
  expect(glob("API Development").test("API Development")).toBe(true);
  expect(glob("API Development").test("API Development 2")).toBe(false);
  expect(glob("sandbox-*").test("sandbox-42")).toBe(true);
  expect(glob("a.b?").test("axbc")).toBe(false);
  expect(glob("a.b?").test("a.bc")).toBe(true);
});
