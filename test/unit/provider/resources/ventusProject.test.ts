// The rules a resource applies before any call: check (validation, normalization,
// defaults from configuration) and diff (what changes in place, what replaces), called
// on the exported provider object the way the engine calls it, plus the shared helpers.
import { unknownValue as UNKNOWN } from "@pulumi/pulumi/runtime/rpc";
import { z } from "zod";
import { type ConfigSource } from "../../../../provider/config";
import { compact, deepEqual, diffByRules, validate } from "../../../../provider/resources/common";
import { ventusProject, type VentusProjectInputs, type VentusProjectOutputs } from "../../../../provider/resources/ventusProject";
import { providerContext } from "../../../../provider/context";

/** The context the operations run with: the environment alone, unless a test sets another. */
let ctx = providerContext(undefined);

type Props = Record<string, unknown>;

const ORG = "c19a5b1e-7d1f-4c43-9a51-0f6b2d1e8e50";
const OTHER_ORG = "7b0e3c1d-0000-4000-8000-00000000beef";
const VENTUS_ENV = ["VENTUS_USERNAME", "VENTUS_PASSWORD", "VENTUS_ORGANIZATION_ID", "VENTUS_AUTH_URL", "VENTUS_API_URL"];
const saved: Record<string, string | undefined> = {};

beforeAll(() => {
  for (const k of VENTUS_ENV) saved[k] = process.env[k];
});

beforeEach(() => {
  for (const k of VENTUS_ENV) delete process.env[k];
  process.env.VENTUS_USERNAME = "demo@ventus.example";
  process.env.VENTUS_PASSWORD = "demo-password";
  ctx = providerContext(undefined);
});

afterEach(() => {
  for (const k of VENTUS_ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  ctx = providerContext(undefined);
});

const check = (news: Props) => ventusProject.operations.check(ctx, {}, news);
const diff = (olds: VentusProjectOutputs, news: VentusProjectInputs) => ventusProject.operations.diff("id-1", olds, news);
/** State as create/read record it: inputs plus the display-cased region. */
const state = (o: Partial<VentusProjectOutputs> = {}): VentusProjectOutputs => ({
  organizationId: ORG,
  region: "vienna",
  name: "Alpha",
  regionName: "Vienna",
  ...o,
});
const inputs = (o: Props = {}) => ({ organizationId: ORG, region: "vienna", name: "Alpha", ...o }) as VentusProjectInputs;

describe("VentusProject check", () => {
  it("accepts valid inputs and keeps them", async () => {
    const r = await check({ organizationId: ORG, region: "upper-austria", name: "Team A / Q3" });
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({ organizationId: ORG, region: "upper-austria", name: "Team A / Q3" });
  });

  it.each([
    ["Eastern-Switzerland", "eastern-switzerland"],
    ["  VIENNA ", "vienna"],
    ["Upper-Austria", "upper-austria"],
  ])("normalizes region %j to %j", async (given, expected) => {
    const r = await check(inputs({ region: given }));
    expect(r.failures).toBeUndefined();
    expect(r.inputs!.region).toBe(expected);
  });

  it("accepts a region the seed does not name: a new region needs no new release", async () => {
    const r = await check(inputs({ region: "Zurich-West" }));
    expect(r.failures).toBeUndefined();
    expect(r.inputs!.region).toBe("zurich-west");
  });

  it.each([["eastern switzerland"], [""], ["vienna/../x"], ["-vienna"], ["x".repeat(64)]])(
    "rejects region %j, naming the field and the rule",
    async (region) => {
      const r = await check(inputs({ region }));
      expect(r.failures).toEqual([
        {
          property: "region",
          reason: "region: must be a region name of letters, digits and dashes, such as eastern-switzerland, upper-austria, vienna",
        },
      ]);
    },
  );

  it("rejects a missing region", async () => {
    const { region: _r, ...rest } = inputs();
    const r = await check(rest);
    expect(r.failures).toHaveLength(1);
    expect(r.failures![0]).toMatchObject({ property: "region", reason: "region: is required" });
  });

  it.each([[""], ["   "]])("rejects name %j as empty, naming the field", async (name) => {
    const r = await check(inputs({ name }));
    expect(r.failures).toEqual([{ property: "name", reason: "name: must not be empty" }]);
  });

  it("rejects a missing or non-string name, naming the field", async () => {
    const { name: _n, ...rest } = inputs();
    expect((await check(rest)).failures).toEqual([{ property: "name", reason: "name: is required" }]);
    expect((await check(inputs({ name: 42 }))).failures).toEqual([{ property: "name", reason: "name: must be a string" }]);
  });

  it("reports every failure at once", async () => {
    const r = await check({ organizationId: "a/b", region: "mars base", name: " " });
    expect(r.failures!.map((f) => f.property).sort()).toEqual(["name", "organizationId", "region"]);
  });

  it.each([["with/slash"], ["with space"], ["q?x"], ["h#x"], [""]])("rejects organizationId %j", async (organizationId) => {
    const r = await check(inputs({ organizationId }));
    expect(r.failures).toHaveLength(1);
    expect(r.failures![0]!.property).toBe("organizationId");
  });

  it("rejects an empty importId", async () => {
    const r = await check(inputs({ importId: "" }));
    expect(r.failures).toEqual([{ property: "importId", reason: "importId: must not be empty" }]);
  });

  it("takes organizationId from VENTUS_ORGANIZATION_ID when the resource does not set it", async () => {
    process.env.VENTUS_ORGANIZATION_ID = OTHER_ORG;
    const r = await check({ region: "vienna", name: "Alpha" });
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({ organizationId: OTHER_ORG, region: "vienna", name: "Alpha" });
    // Declared on the resource, it wins.
    expect((await check(inputs())).inputs!.organizationId).toBe(ORG);
  });

  it("takes organizationId from ventus:organizationId before the environment", async () => {
    process.env.VENTUS_ORGANIZATION_ID = OTHER_ORG;
    const config: ConfigSource = { get: (k) => (k === "ventus:organizationId" ? ORG : undefined) };
    ctx = providerContext(config);
    expect((await check({ region: "vienna", name: "Alpha" })).inputs!.organizationId).toBe(ORG);
  });

  it("reports organizationId missing when neither the resource nor the configuration sets it", async () => {
    const r = await check({ region: "vienna", name: "Alpha" });
    expect(r.failures).toHaveLength(1);
    expect(r.failures![0]!.property).toBe("organizationId");
    expect(r.failures![0]!.reason).toContain("ventus:organizationId");
    expect(r.failures![0]!.reason).toContain("VENTUS_ORGANIZATION_ID");
  });

  it("lets values unknown at preview through untouched", async () => {
    const r = await check({ organizationId: UNKNOWN, region: UNKNOWN, name: UNKNOWN, importId: UNKNOWN });
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({ organizationId: UNKNOWN, region: UNKNOWN, name: UNKNOWN, importId: UNKNOWN });
  });

  it("still checks the known values next to unknown ones", async () => {
    const r = await check({ organizationId: ORG, region: UNKNOWN, name: "" });
    expect(r.failures).toEqual([{ property: "name", reason: "name: must not be empty" }]);
    const ok = await check({ organizationId: ORG, region: "VIENNA", name: UNKNOWN });
    expect(ok.failures).toBeUndefined();
    expect(ok.inputs).toEqual({ organizationId: ORG, region: "vienna", name: UNKNOWN });
  });

  it("keeps an unknown organizationId instead of replacing it with the configured default", async () => {
    process.env.VENTUS_ORGANIZATION_ID = OTHER_ORG;
    expect((await check(inputs({ organizationId: UNKNOWN }))).inputs!.organizationId).toBe(UNKNOWN);
  });

  it("keeps properties the schema does not know (the engine's own)", async () => {
    const r = await check({ ...inputs(), __provider: "require('pulumi-ventus-axway/providers/ventusProject')" });
    expect(r.failures).toBeUndefined();
    expect((r.inputs as Props).__provider).toBe("require('pulumi-ventus-axway/providers/ventusProject')");
  });

  it("reports each absent credential the way a user sets it, as a check failure (no exception, no stack)", async () => {
    delete process.env.VENTUS_USERNAME;
    expect((await check(inputs())).failures).toEqual([
      { property: "", reason: "Ventus Cloud credentials are not configured: set ventus:username (or VENTUS_USERNAME)" },
    ]);

    delete process.env.VENTUS_PASSWORD;
    expect((await check(inputs())).failures).toEqual([
      {
        property: "",
        reason:
          "Ventus Cloud credentials are not configured: set ventus:username (or VENTUS_USERNAME), ventus:password (or VENTUS_PASSWORD)",
      },
    ]);
  });

  it("takes credentials from stack configuration", async () => {
    delete process.env.VENTUS_USERNAME;
    delete process.env.VENTUS_PASSWORD;
    const values: Record<string, string> = { "ventus:username": "u@x.y", "ventus:password": "pw" };
    ctx = providerContext({ get: (k) => values[k] });
    expect((await check(inputs())).failures).toBeUndefined();
  });

  it("reports input failures before missing credentials", async () => {
    delete process.env.VENTUS_USERNAME;
    const r = await check(inputs({ name: "" }));
    expect(r.failures).toEqual([{ property: "name", reason: "name: must not be empty" }]);
  });
});

describe("VentusProject diff", () => {
  it("finds no change for the same inputs", async () => {
    expect(await diff(state(), inputs())).toEqual({ changes: false, replaces: [] });
  });

  it("finds no change when only the region's case differs from state", async () => {
    expect(await diff(state({ region: "Vienna" }), inputs())).toEqual({ changes: false, replaces: [] });
  });

  it("replaces on a region change", async () => {
    expect(await diff(state(), inputs({ region: "upper-austria" }))).toEqual({ changes: true, replaces: ["region"] });
  });

  it("replaces on an organization change", async () => {
    expect(await diff(state(), inputs({ organizationId: OTHER_ORG }))).toEqual({ changes: true, replaces: ["organizationId"] });
  });

  it("replaces on both at once", async () => {
    const r = await diff(state(), inputs({ organizationId: OTHER_ORG, region: "upper-austria", name: "Beta" }));
    expect(r.changes).toBe(true);
    expect([...r.replaces].sort()).toEqual(["organizationId", "region"]);
  });

  it("renames in place on a name change", async () => {
    expect(await diff(state(), inputs({ name: "Beta" }))).toEqual({ changes: true, replaces: [] });
  });

  it("ignores a change of importId, which only matters at create", async () => {
    expect(await diff(state({ importId: "abc" }), inputs({ importId: "def" }))).toEqual({ changes: false, replaces: [] });
    expect(await diff(state(), inputs({ importId: "def" }))).toEqual({ changes: false, replaces: [] });
    expect(await diff(state({ importId: "abc" }), inputs())).toEqual({ changes: false, replaces: [] });
  });

  it("counts unknown values as changes", async () => {
    expect(await diff(state(), inputs({ name: UNKNOWN }))).toEqual({ changes: true, replaces: [] });
    expect(await diff(state(), inputs({ region: UNKNOWN }))).toEqual({ changes: true, replaces: ["region"] });
    expect(await diff(state(), inputs({ organizationId: UNKNOWN }))).toEqual({ changes: true, replaces: ["organizationId"] });
  });

  it("agrees with check: checked inputs of unchanged declarations give no diff", async () => {
    process.env.VENTUS_ORGANIZATION_ID = ORG;
    const checked = await check({ region: "Vienna", name: "Alpha" });
    expect(await diff(state(), checked.inputs!)).toEqual({ changes: false, replaces: [] });
  });
});

describe("validate", () => {
  const Schema = z.object({
    name: z.string().min(1),
    size: z.number().int().positive().optional(),
    tags: z.array(z.string()).optional(),
    kind: z.string().transform((s) => s.toLowerCase()),
  });

  it("returns the parsed values over the declared ones and keeps the engine's own keys", () => {
    expect(validate(Schema, { name: "n", kind: "BIG", __provider: "p" })).toEqual({ inputs: { name: "n", kind: "big", __provider: "p" } });
  });

  it("refuses a field the schema does not know, suggesting the closest; outputs pass", () => {
    expect(validate(Schema, { name: "n", kind: "k", sise: 1 }).failures).toEqual([
      { property: "sise", reason: "sise: is not an input; did you mean size?" },
    ]);
    expect(validate(Schema, { name: "n", kind: "k", colour: "red" }).failures).toEqual([
      { property: "colour", reason: "colour: is not an input (inputs: name, size, tags, kind)" },
    ]);
    expect(validate(Schema, { name: "n", kind: "k", id: 1 }, { outputs: ["id"] })).toEqual({ inputs: { name: "n", kind: "k", id: 1 } });
  });

  it("names the field of each failure, nested paths as a program spells them", () => {
    const r = validate(Schema, { name: "", kind: "k", tags: ["a", 3] });
    expect(r.failures!.map((f) => f.reason).sort()).toEqual([
      "name: Too small: expected string to have >=1 characters",
      "tags[1]: Invalid input: expected string, received number",
    ]);
    // The engine prints the property's value beside the reason: a list is not printed.
    expect(r.failures!.map((f) => f.property).sort()).toEqual(["", "name"]);
  });

  it("skips fields whose value (or part of it) is unknown", () => {
    expect(validate(Schema, { name: UNKNOWN, kind: "K", tags: ["a", UNKNOWN] })).toEqual({
      inputs: { name: UNKNOWN, kind: "k", tags: ["a", UNKNOWN] },
    });
    expect(validate(Schema, { name: UNKNOWN, kind: "K", size: -1 }).failures!.map((f) => f.property)).toEqual(["size"]);
  });

  it("drops an optional field that is declared undefined", () => {
    expect(validate(Schema, { name: "n", kind: "k", size: undefined })).toEqual({ inputs: { name: "n", kind: "k" } });
  });
});

describe("diffByRules", () => {
  const rules = { replaceOn: ["owner"], updateOn: ["name", "tags", "meta"] };

  it("reports replaces and in-place changes, nothing for fields outside the rules", () => {
    expect(diffByRules({ owner: "a", name: "x" }, { owner: "a", name: "x", other: 1 }, rules)).toEqual({ changes: false, replaces: [] });
    expect(diffByRules({ owner: "a" }, { owner: "b" }, rules)).toEqual({ changes: true, replaces: ["owner"] });
    expect(diffByRules({ name: "x" }, { name: "y" }, rules)).toEqual({ changes: true, replaces: [] });
  });

  it("compares structures by value", () => {
    const olds = { tags: ["a", "b"], meta: { x: 1, y: { z: [1] } } };
    expect(diffByRules(olds, { tags: ["a", "b"], meta: { y: { z: [1] }, x: 1 } }, rules).changes).toBe(false);
    expect(diffByRules(olds, { tags: ["b", "a"], meta: olds.meta }, rules).changes).toBe(true);
    expect(diffByRules(olds, { tags: ["a", "b"], meta: { x: 1, y: { z: [2] } } }, rules).changes).toBe(true);
  });

  it("counts an unknown nested value as a change", () => {
    expect(diffByRules({ tags: ["a"] }, { tags: ["a", UNKNOWN] }, rules)).toEqual({ changes: true, replaces: [] });
  });

  it("applies normalize on both sides", () => {
    const r = diffByRules(
      { name: "ABC" },
      { name: "abc" },
      { ...rules, normalize: (_f, v) => (typeof v === "string" ? v.toLowerCase() : v) },
    );
    expect(r.changes).toBe(false);
  });
});

describe("deepEqual", () => {
  it("treats a missing key and an undefined one alike", () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
  });

  it("tells null, undefined, primitives, arrays and objects apart", () => {
    expect(deepEqual(null, undefined)).toBe(false);
    expect(deepEqual({ a: null }, {})).toBe(false);
    expect(deepEqual([], {})).toBe(false);
    expect(deepEqual("1", 1)).toBe(false);
    expect(deepEqual([1, [2, { c: 3 }]], [1, [2, { c: 3 }]])).toBe(true);
  });

  it("does not take arrays of different lengths for equal", () => {
    expect(deepEqual([1, undefined], [1])).toBe(false);
    expect(deepEqual([undefined], [])).toBe(false);
    expect(deepEqual({ list: ["a", undefined] }, { list: ["a"] })).toBe(false);
  });

  it("compact drops undefined keys only", () => {
    expect(compact({ a: 1, b: undefined, c: null, d: "" })).toEqual({ a: 1, c: null, d: "" });
    expect(Object.keys(compact({ a: 1, b: undefined }))).toEqual(["a"]);
  });
});
