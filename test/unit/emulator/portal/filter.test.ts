// The list filter (filter.ts) on GET /organizations: ops, fields, lop, mistakes.
import { stableUuid } from "../../../../emulator/portal";
import { createOrg, harness, type Harness, P, seededOrgId, closeServed } from "./harness";

afterEach(closeServed);

describe("portal emulator: organization list filters", () => {
  async function fixture(): Promise<{ h: Harness; ids: Record<string, string> }> {
    const h = await harness(undefined, 1000);
    const ids: Record<string, string> = { "Seeded Partner": seededOrgId() };
    const rows: Array<Record<string, unknown>> = [
      { name: "Alpha Inc", description: "Makes alphabet soup", email: "info@alpha.test", phone: "+41 1", enabled: true },
      { name: "Beta LLC", description: "Beta testing", email: "beta@beta.test", phone: "+43 2", enabled: false },
      { name: "Gamma AG", email: "hello@gamma.test", enabled: true },
      { name: "delta gmbh", description: "lower case", phone: "+41 3", enabled: false },
    ];
    for (const [i, row] of rows.entries()) {
      h.clock.t = 2000 + i * 1000; // createdOn 2000, 3000, 4000, 5000; the seeded one 1000
      ids[row.name as string] = (await createOrg(h, row)).id as string;
    }
    return { h, ids };
  }

  async function names(h: Harness, query: string): Promise<string[]> {
    const r = await h.call("GET", `${P}/organizations?${query}`);
    expect(r.status).toBe(200);
    return (r.json as Array<{ name: string }>).map((o) => o.name).sort();
  }

  test("no filter: everything; eq and ne", async () => {
    const { h } = await fixture();
    expect(await names(h, "")).toEqual(["Alpha Inc", "Beta LLC", "Gamma AG", "Seeded Partner", "delta gmbh"]);
    expect(await names(h, "field=name&op=eq&value=Beta%20LLC")).toEqual(["Beta LLC"]);
    expect(await names(h, "field=name&op=eq&value=beta%20llc")).toEqual([]); // eq is exact
    expect(await names(h, "field=name&op=ne&value=Beta%20LLC")).toEqual(["Alpha Inc", "Gamma AG", "Seeded Partner", "delta gmbh"]);
    // An organization without a description is "not equal" to any description.
    expect(await names(h, "field=description&op=ne&value=Beta%20testing")).toEqual([
      "Alpha Inc",
      "Gamma AG",
      "Seeded Partner",
      "delta gmbh",
    ]);
  });

  test("createdOn: gt lt ge le gete (numeric)", async () => {
    const { h } = await fixture();
    expect(await names(h, "field=createdOn&op=gt&value=3000")).toEqual(["Gamma AG", "delta gmbh"]);
    expect(await names(h, "field=createdOn&op=lt&value=3000")).toEqual(["Alpha Inc", "Seeded Partner"]);
    expect(await names(h, "field=createdOn&op=ge&value=3000")).toEqual(["Beta LLC", "Gamma AG", "delta gmbh"]);
    expect(await names(h, "field=createdOn&op=le&value=3000")).toEqual(["Alpha Inc", "Beta LLC", "Seeded Partner"]);
    expect(await names(h, "field=createdOn&op=gete&value=2000,4000")).toEqual(["Alpha Inc", "Beta LLC", "Gamma AG"]);
    expect(await names(h, "field=createdOn&op=gete&value=2001,2999")).toEqual([]);
    expect(await names(h, "field=createdon&op=EQ&value=5000")).toEqual(["delta gmbh"]); // names and ops case-insensitive
    expect(await names(h, "field=createdOn&op=gele&value=4000,5000")).toEqual(["Gamma AG", "delta gmbh"]); // Swagger's spelling
  });

  test("string comparisons and gete on names", async () => {
    const { h } = await fixture();
    expect(await names(h, "field=name&op=gt&value=Beta%20LLC")).toEqual(["Gamma AG", "Seeded Partner", "delta gmbh"]);
    expect(await names(h, "field=name&op=lt&value=Beta")).toEqual(["Alpha Inc"]);
    expect(await names(h, "field=name&op=gete&value=B,H")).toEqual(["Beta LLC", "Gamma AG"]);
  });

  test("like: case-insensitive substring, * and % wildcards", async () => {
    const { h } = await fixture();
    expect(await names(h, "field=name&op=like&value=GM")).toEqual(["delta gmbh"]);
    expect(await names(h, "field=name&op=like&value=A A")).toEqual(["Gamma AG"]);
    expect(await names(h, "field=name&op=like&value=*a")).toEqual([]); // anchored with a wildcard
    expect(await names(h, "field=name&op=like&value=*AG")).toEqual(["Gamma AG"]);
    expect(await names(h, "field=name&op=like&value=d%25h")).toEqual(["delta gmbh"]); // d%h
    expect(await names(h, "field=email&op=like&value=.test")).toEqual(["Alpha Inc", "Beta LLC", "Gamma AG"]);
    expect(await names(h, "field=description&op=like&value=SOUP")).toEqual(["Alpha Inc"]);
    expect(await names(h, "field=phone&op=like&value=%2B41*")).toEqual(["Alpha Inc", "Seeded Partner", "delta gmbh"]); // the seeded one has +41 44…
  });

  test("enabled: enabled / disabled", async () => {
    const { h } = await fixture();
    expect(await names(h, "field=enabled&op=eq&value=disabled")).toEqual(["Beta LLC", "delta gmbh"]);
    expect(await names(h, "field=enabled&op=eq&value=enabled")).toEqual(["Alpha Inc", "Gamma AG", "Seeded Partner"]);
    expect(await names(h, "field=enabled&op=ne&value=enabled")).toEqual(["Beta LLC", "delta gmbh"]);
  });

  test("several filters: AND by default, lop=OR", async () => {
    const { h } = await fixture();
    // The seed's example: name eq … AND enabled eq disabled.
    expect(await names(h, "field=name&op=eq&value=Beta%20LLC&field=enabled&op=eq&value=disabled")).toEqual(["Beta LLC"]);
    expect(await names(h, "field=name&op=eq&value=Alpha%20Inc&field=enabled&op=eq&value=disabled")).toEqual([]);
    expect(await names(h, "field=name&op=eq&value=Alpha%20Inc&field=enabled&op=eq&value=disabled&lop=AND")).toEqual([]);
    expect(await names(h, "field=name&op=eq&value=Alpha%20Inc&field=enabled&op=eq&value=disabled&lop=OR")).toEqual([
      "Alpha Inc",
      "Beta LLC",
      "delta gmbh",
    ]);
    expect(await names(h, "lop=or&field=phone&op=like&value=%2B43&field=createdOn&op=lt&value=2000")).toEqual([
      "Beta LLC",
      "Seeded Partner",
    ]);
  });

  test("apiid: organizations that may use an API", async () => {
    const { h, ids } = await fixture();
    const petstore = stableUuid("proxy", "Petstore");
    const weather = stableUuid("proxy", "Weather");
    await h.call("POST", `${P}/organizations/${ids["Alpha Inc"]}/apis`, { body: { apiId: petstore } });
    await h.call("POST", `${P}/organizations/${ids["Gamma AG"]}/apis`, { body: { apiId: petstore } });
    await h.call("POST", `${P}/organizations/${ids["Gamma AG"]}/apis`, { body: { apiId: weather } });
    expect(await names(h, `field=apiid&op=eq&value=${petstore}`)).toEqual(["Alpha Inc", "Gamma AG"]);
    expect(await names(h, `field=apiid&op=eq&value=${weather}`)).toEqual(["Gamma AG"]);
    expect(await names(h, `field=apiid&op=ne&value=${petstore}`)).toEqual(["Beta LLC", "Seeded Partner", "delta gmbh"]);
    expect(await names(h, `field=apiid&op=eq&value=${petstore}&field=enabled&op=eq&value=enabled`)).toEqual(["Alpha Inc", "Gamma AG"]);
  });

  test("mistakes → 400 naming the problem", async () => {
    const { h } = await fixture();
    const cases: Array<[string, RegExp]> = [
      ["field=colour&op=eq&value=red", /Unknown filter field 'colour'/],
      ["field=name&op=approx&value=x", /Unknown filter op 'approx'/],
      ["field=name&op=eq", /Mismatched filter parameters: 1 field, 1 op and 0 value/],
      ["field=name&field=email&op=eq&value=x&value=y", /Mismatched/],
      ["field=createdOn&op=gete&value=5", /Invalid value '5' for op 'gete'/],
      ["field=createdOn&op=gete&value=1,2,3", /op 'gete'/],
      ["field=createdOn&op=gete&value=a,b", /expected a number/],
      ["field=createdOn&op=gt&value=yesterday", /Invalid value 'yesterday' for field 'createdOn'/],
      ["field=createdOn&op=like&value=1", /not supported for field 'createdOn'/],
      ["field=enabled&op=eq&value=maybe", /Invalid value 'maybe' for field 'enabled'/],
      ["field=enabled&op=gt&value=enabled", /not supported for field 'enabled'/],
      ["field=apiid&op=gt&value=x", /not supported for field 'apiid'/],
      ["field=name&op=eq&value=x&lop=XOR", /Unknown logical operation 'XOR'/],
    ];
    for (const [query, message] of cases) {
      const r = await h.call("GET", `${P}/organizations?${query}`);
      expect({ query, status: r.status }).toEqual({ query, status: 400 });
      expect(r.json.errors[0].code).toBe(400);
      expect(r.json.errors[0].message).toMatch(message);
    }
  });
});
