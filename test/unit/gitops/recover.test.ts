// recover's decisions, in process: which interrupted create adopts which object, which are
// cleared, and when a person must decide. The whole command runs through the real CLI in
// test/e2e/killedJob.test.ts.
import { main } from "../../../gitops/cli";
import {
  KINDS,
  applyPlan,
  kindOf,
  planRecovery,
  summary,
  type Candidate,
  type Deployment,
  type StateResource,
} from "../../../gitops/recover";

const T = "pulumi-nodejs:dynamic/pulumi-ventus-axway:";
const STACK = "urn:pulumi:prod::teams::pulumi:pulumi:Stack::teams-prod";

function resource(kind: string, name: string, inputs: Record<string, unknown>, id?: string): StateResource {
  return {
    urn: `urn:pulumi:prod::teams::${T}${kind}::${name}`,
    type: `${T}${kind}`,
    custom: true,
    parent: STACK,
    inputs: { __provider: "exports.handler = …", ...inputs },
    ...(id ? { id, outputs: { ...inputs } } : {}),
  };
}

const project = (name: string, n: string, region = "vienna") => ({ organizationId: "org-1", region, name: n, _: name });
const creating = (r: StateResource) => ({ type: "creating", resource: r });
const keyOf = (kind: string, inputs: Record<string, unknown>) => `${kind}:${KINDS[kind]!.key(inputs)}`;

test("the kind of either face's type, and nothing for other packages", () => {
  expect(kindOf(`${T}VentusProject`)).toBe("VentusProject");
  expect(kindOf("ventus-axway:index:RegistrationToken")).toBe("RegistrationToken");
  expect(kindOf("aws:s3/bucket:Bucket")).toBeUndefined();
  expect(kindOf("pulumi-nodejs:dynamic:Resource")).toBeUndefined();
});

test("one unheld match is adopted, a create whose key has none is cleared, held objects are never candidates", () => {
  const held = resource("VentusProject", "p0", project("p0", "web"), "id-held");
  const p1 = resource("VentusProject", "p1", project("p1", "web"));
  const p2 = resource("VentusProject", "p2", project("p2", "api"));
  const d: Deployment = { resources: [resource("pulumi:pulumi:Stack", "x", {}), held], pending_operations: [creating(p1), creating(p2)] };
  const found = new Map<string, Candidate[]>([
    [keyOf("VentusProject", p1.inputs!), [{ id: "id-held" }, { id: "id-new" }]],
    [keyOf("VentusProject", p2.inputs!), []],
  ]);
  const plan = planRecovery(d, found);
  expect(plan.problems).toEqual([]);
  expect(plan.actions).toEqual([
    { kind: "adopt", urn: p1.urn, resourceKind: "VentusProject", what: 'project "web" in vienna', id: "id-new" },
    { kind: "clear", urn: p2.urn, resourceKind: "VentusProject", what: 'project "api" in vienna' },
  ]);

  const after = applyPlan(d, plan);
  expect(after.pending_operations).toEqual([]);
  const adopted = after.resources!.find((r) => r.urn === p1.urn)!;
  expect(adopted).toMatchObject({ id: "id-new", parent: STACK, custom: true });
  // Its outputs are its inputs (the serialized provider included) until the refresh that follows reads them.
  expect(adopted.outputs).toEqual(p1.inputs);
  expect(after.resources!.some((r) => r.urn === p2.urn)).toBe(false);
  expect(after.resources).toHaveLength(3);
});

test("creates of one key (Ventus names repeat) share the unheld matches, one each; the rest made nothing", () => {
  const a = resource("VentusProject", "p3", project("p3", "proj-3"));
  const b = resource("VentusProject", "p33", project("p33", "proj-3"));
  const d: Deployment = { resources: [], pending_operations: [creating(a), creating(b)] };
  const plan = planRecovery(d, new Map([[keyOf("VentusProject", a.inputs!), [{ id: "made" }]]]));
  expect(plan.actions.map((x) => [x.kind, x.urn.split("::").pop()])).toEqual([
    ["adopt", "p3"],
    ["clear", "p33"],
  ]);
});

test("more matches than interrupted creates: someone else made one too; nothing is adopted, one line says what to do", () => {
  const a = resource("VentusProject", "p1", project("p1", "web"));
  const plan = planRecovery(
    { resources: [], pending_operations: [creating(a)] },
    new Map([[keyOf("VentusProject", a.inputs!), [{ id: "x" }, { id: "y" }]]]),
  );
  expect(plan.actions).toEqual([]);
  expect(plan.problems).toEqual([
    'VentusProject p1: 2 objects match (project "web" in vienna, ids x, y) for 1 interrupted create(s), and no resource of the stack holds them; delete those not wanted or declare importId, then run recover again',
  ]);
});

test("an organization of that name that differs from the declaration was not made by the create: a problem, not an adoption", () => {
  const org = resource("PortalOrganization", "acme", { name: "Acme", email: "a@acme.example", enabled: true });
  const plan = planRecovery(
    { resources: [], pending_operations: [creating(org)] },
    new Map([[keyOf("PortalOrganization", org.inputs!), [{ id: "o-9", differs: ["email"] }]]]),
  );
  expect(plan.actions).toEqual([]);
  expect(plan.problems[0]).toMatch(
    /^PortalOrganization acme: organization "Acme" exists \(id o-9\) but differs from the declaration in email/,
  );
});

test("an interrupted create of another package stops recover; a provider's create is simply dropped; other pending operations are counted", () => {
  const bucket: StateResource = { urn: "urn:pulumi:prod::teams::aws:s3/bucket:Bucket::logs", type: "aws:s3/bucket:Bucket" };
  const provider: StateResource = {
    urn: "urn:pulumi:prod::teams::pulumi:providers:ventus-axway::default",
    type: "pulumi:providers:ventus-axway",
  };
  const gone = resource("VentusProject", "old", project("old", "old"), "id-old");
  const plan = planRecovery(
    { resources: [gone], pending_operations: [creating(bucket), creating(provider), { type: "deleting", resource: gone }] },
    new Map(),
  );
  expect(plan.problems).toEqual([
    "urn:pulumi:prod::teams::aws:s3/bucket:Bucket::logs: an interrupted create of another package; resolve it with pulumi refresh --import-pending-creates or --clear-pending-creates, then run recover again",
  ]);
  expect(plan.otherPending).toBe(1);
});

test("the plugin's types, and the kind in a dynamic resource's URN when its type is the generic one", () => {
  const grant: StateResource = {
    urn: "urn:pulumi:prod::teams::ventus-axway:index:OrganizationApiAccess::g",
    type: "ventus-axway:index:OrganizationApiAccess",
    inputs: { organizationId: "o1", apiId: "a1" },
  };
  const generic: StateResource = {
    urn: `urn:pulumi:prod::teams::${T}RegistrationToken::code`,
    type: "pulumi-nodejs:dynamic:Resource",
    inputs: { organizationId: "o1" },
  };
  const plan = planRecovery(
    { resources: [], pending_operations: [creating(grant), creating(generic)] },
    new Map([
      [keyOf("OrganizationApiAccess", grant.inputs!), [{ id: "acc-1" }]],
      [keyOf("RegistrationToken", generic.inputs!), [{ id: "regcode-0123456789abcdef0123" }]],
    ]),
  );
  expect(plan.actions.map((a) => [a.kind, a.resourceKind, a.kind === "adopt" ? a.id : ""])).toEqual([
    ["adopt", "OrganizationApiAccess", "acc-1"],
    ["adopt", "RegistrationToken", "regcode-0123456789abcdef0123"],
  ]);
});

test("a replacement's create adopted: the resource it replaces is marked for deletion, as the engine would", () => {
  const old = resource("VentusProject", "web", project("web", "web", "vienna"), "id-old");
  const next = resource("VentusProject", "web", project("web", "web", "upper-austria"));
  const d: Deployment = { resources: [old], pending_operations: [creating(next)] };
  const after = applyPlan(d, planRecovery(d, new Map([[keyOf("VentusProject", next.inputs!), [{ id: "id-new" }]]])));
  expect(after.resources!.map((r) => [r.id, r.delete === true])).toEqual([
    ["id-old", true],
    ["id-new", false],
  ]);
});

test("the organization look-up compares every declared field, and unset ones with the portal's defaults", async () => {
  const listed = [
    { id: "o1", name: "Acme", email: "a@acme.example", enabled: true, development: false, description: "" },
    { id: "o2", name: "Acme", email: "b@acme.example" },
    { id: "o3", name: "Acme", email: "a@acme.example", restricted: true },
  ];
  const clients = {
    ventus: () => {
      throw new Error("not used");
    },
    axway: () => ({ listOrganizations: async () => listed }),
  } as unknown as Parameters<(typeof KINDS)["PortalOrganization"]["find"]>[1];
  const found = await KINDS.PortalOrganization!.find({ name: "Acme", email: "a@acme.example", enabled: true }, clients);
  expect(found).toEqual([{ id: "o1" }, { id: "o2", differs: ["email"] }, { id: "o3", differs: ["restricted"] }]);
});

test("the summary line says what was done, and whether the lock was looked for", () => {
  const base = { stack: "prod", adopted: [{ urn: "u", id: "i" }], cleared: ["c", "d"], otherPending: 0 };
  expect(summary({ ...base, lockChecked: true, staleLock: "runner@host (pid 7) at 2026-12-06T01:00:00Z" })).toBe(
    "Stack prod: 1 interrupted create(s) adopted, 2 cleared (nothing made), a stale lock removed.",
  );
  expect(summary({ ...base, otherPending: 3, lockChecked: false })).toBe(
    "Stack prod: 1 interrupted create(s) adopted, 2 cleared (nothing made), 3 other pending operation(s) dropped.",
  );
});

test("recover: an unknown option is a usage error (exit 1), before any engine call", async () => {
  let stderr = "";
  const err = jest.spyOn(process.stderr, "write").mockImplementation((s) => ((stderr += String(s)), true));
  try {
    expect(await main(["recover", "--force"])).toBe(1);
  } finally {
    err.mockRestore();
  }
  expect(stderr).toMatch(/^pulumi-ventus-axway: Unknown option '--force'/);
  expect(stderr).toContain("pulumi-ventus-axway recover [--stack <name>] [--cwd <dir>] [--clear-stale-lock]");
});

type FindClients = Parameters<(typeof KINDS)["VentusProject"]["find"]>[1];

test("the project look-up: that region and name (any case of the region's display name), or the declared importId", async () => {
  const listed = [
    { id: "a", name: "web", region: "Vienna" },
    { id: "b", name: "web", region: "Upper-Austria" },
    { id: "c", name: "api", region: "Vienna" },
  ];
  const clients = { ventus: () => ({ listProjects: async () => listed }) } as unknown as FindClients;
  expect(await KINDS.VentusProject!.find({ organizationId: "o", region: "vienna", name: "web" }, clients)).toEqual([{ id: "a" }]);
  expect(await KINDS.VentusProject!.find({ organizationId: "o", region: "vienna", name: "web", importId: "c" }, clients)).toEqual([
    { id: "c" },
  ]);
});

test("the code look-up: every code of the organization by its resource id, expiry and enabled compared; a secret importId read decrypted", async () => {
  const codes = [
    { token: "111111", expiry: 1924992000000, enabled: true },
    { token: "222222", expiry: 1, enabled: true },
  ];
  const clients = { axway: () => ({ listTokens: async () => codes }) } as unknown as FindClients;
  const declared = { organizationId: "o", userQuota: 5, expiry: 1924992000000 };
  const found = await KINDS.RegistrationToken!.find(declared, clients);
  expect(found.map((c) => c.differs ?? [])).toEqual([[], ["expiry"]]);
  expect(found[0]!.id).toMatch(/^regcode-[0-9a-f]{20}$/);
  const secretImport = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: '"222222"' };
  expect(await KINDS.RegistrationToken!.find({ organizationId: "o", importId: secretImport }, clients)).toEqual([{ id: found[1]!.id }]);
});
