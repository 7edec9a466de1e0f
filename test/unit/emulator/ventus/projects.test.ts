// Projects (projects.ts): the listing per organization, and create, read, rename and delete per region.
import { VENTUS_REGIONS } from "../../../../emulator/ventus";
import { call } from "../harness";
import { auth, identity, listPath, login, ORG, USER, useVentus } from "./harness";

const REGIONS = Object.keys(VENTUS_REGIONS);

describe("Ventus emulator: projects", () => {
  const v = useVentus();

  it.each(REGIONS)("create, get, rename, list and delete in %s", async (region) => {
    const h = auth(v.tokens);
    const created = await call(v.emu, "POST", `${identity(region)}/${ORG}/projects/First`, { headers: h });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), name: "First" });
    const id = created.json.id as string;

    const got = await call(v.emu, "GET", `${identity(region)}/projects/${id}`, { headers: h });
    expect(got.status).toBe(200);
    expect(got.json).toEqual({ id, name: "First" });

    const renamed = await call(v.emu, "PUT", `${identity(region)}/${ORG}/projects/${id}`, {
      headers: h,
      body: { name: "Second" },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toEqual({ id, name: "Second" });
    expect((await call(v.emu, "GET", `${identity(region)}/projects/${id}`, { headers: h })).json.name).toBe("Second");

    const list = await call(v.emu, "GET", listPath(), { headers: h });
    expect(list.status).toBe(200);
    expect(list.json).toEqual([{ id, name: "Second", region: VENTUS_REGIONS[region] }]);

    const deleted = await call(v.emu, "DELETE", `${identity(region)}/${ORG}/projects/${id}`, { headers: h });
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe("");
    expect((await call(v.emu, "GET", `${identity(region)}/projects/${id}`, { headers: h })).status).toBe(404);
    expect((await call(v.emu, "DELETE", `${identity(region)}/${ORG}/projects/${id}`, { headers: h })).status).toBe(404);
    expect((await call(v.emu, "GET", listPath(), { headers: h })).json).toEqual([]);
  });

  it("lists every region with its display name, duplicates allowed", async () => {
    const h = auth(v.tokens);
    await call(v.emu, "POST", `${identity("eastern-switzerland")}/${ORG}/projects/Swiss`, { headers: h });
    await call(v.emu, "POST", `${identity("upper-austria")}/${ORG}/projects/Upper`, { headers: h });
    await call(v.emu, "POST", `${identity("vienna")}/${ORG}/projects/Vienna`, { headers: h });
    const dup = await call(v.emu, "POST", `${identity("vienna")}/${ORG}/projects/Vienna`, { headers: h });
    expect(dup.status).toBe(200);
    const list = await call(v.emu, "GET", listPath(), { headers: h });
    expect(list.json.map((p: { name: string; region: string }) => [p.name, p.region])).toEqual([
      ["Swiss", "Eastern-Switzerland"],
      ["Upper", "Upper-Austria"],
      ["Vienna", "Vienna"],
      ["Vienna", "Vienna"],
    ]);
    expect(new Set(list.json.map((p: { id: string }) => p.id)).size).toBe(4);
  });

  it("percent-decodes the name from the path and rejects an empty one", async () => {
    const h = auth(v.tokens);
    const name = "Team A / ÄÖÜ & co";
    const r = await call(v.emu, "POST", `${identity("vienna")}/${ORG}/projects/${encodeURIComponent(name)}`, {
      headers: h,
    });
    expect(r.status).toBe(200);
    expect(r.json.name).toBe(name);
    expect((await call(v.emu, "POST", `${identity("vienna")}/${ORG}/projects/`, { headers: h })).status).toBe(400);
    expect((await call(v.emu, "POST", `${identity("vienna")}/${ORG}/projects/%20`, { headers: h })).status).toBe(400);
    expect((await call(v.emu, "POST", `${identity("vienna")}/${ORG}/projects/%E0%A4%A`, { headers: h })).status).toBe(400);
  });

  it("validates the rename body", async () => {
    const h = auth(v.tokens);
    const { id } = (await call(v.emu, "POST", `${identity("vienna")}/${ORG}/projects/P`, { headers: h })).json;
    const put = (body: unknown) => call(v.emu, "PUT", `${identity("vienna")}/${ORG}/projects/${id}`, { headers: h, body });
    expect((await put({ name: "" })).status).toBe(400);
    expect((await put({ name: 42 })).status).toBe(400);
    expect((await put("{")).status).toBe(400);
    expect((await put(undefined)).status).toBe(400);
    expect((await call(v.emu, "GET", `${identity("vienna")}/projects/${id}`, { headers: h })).json.name).toBe("P");
  });

  it("answers 404 for unknown projects, other regions and non-lower-case regions", async () => {
    const h = auth(v.tokens);
    const { id } = (await call(v.emu, "POST", `${identity("vienna")}/${ORG}/projects/P`, { headers: h })).json;
    const unknown = "0123456789abcdef01234567";
    expect((await call(v.emu, "GET", `${identity("vienna")}/projects/${unknown}`, { headers: h })).status).toBe(404);
    expect((await call(v.emu, "GET", `${identity("upper-austria")}/projects/${id}`, { headers: h })).status).toBe(404);
    const renameElsewhere = await call(v.emu, "PUT", `${identity("upper-austria")}/${ORG}/projects/${id}`, {
      headers: h,
      body: { name: "Q" },
    });
    expect(renameElsewhere.status).toBe(404);
    expect((await call(v.emu, "DELETE", `${identity("upper-austria")}/${ORG}/projects/${id}`, { headers: h })).status).toBe(404);
    expect((await call(v.emu, "PUT", `${identity("vienna")}/${ORG}/projects/${unknown}`, { headers: h, body: { name: "Q" } })).status).toBe(
      404,
    );

    const upper = await call(v.emu, "GET", `/v1.0/invoke/gotham-Vienna-identity/method/projects/${id}`, { headers: h });
    expect(upper.status).toBe(404);
    expect(upper.json.errors[0].code).toBe(404);
    expect((await call(v.emu, "POST", `/v1.0/invoke/gotham-Upper-Austria-identity/method/${ORG}/projects/x`, { headers: h })).status).toBe(
      404,
    );
    expect((await call(v.emu, "GET", `${identity("mars")}/projects/${id}`, { headers: h })).status).toBe(404);
    // Still there, untouched.
    expect((await call(v.emu, "GET", `${identity("vienna")}/projects/${id}`, { headers: h })).json).toEqual({ id, name: "P" });
  });

  it("hides projects of organizations the user does not belong to", async () => {
    await v.restart({
      ventusUsers: [
        { ...USER, organizations: [ORG] },
        { username: "bob@ventus.example", password: "bob", organizations: ["org-bob"] },
      ],
    });
    const bob = await login(v.emu, { username: "bob@ventus.example", password: "bob" });
    const { id } = (await call(v.emu, "POST", `${identity("vienna")}/org-bob/projects/Bobs`, { headers: auth(bob) })).json;
    expect((await call(v.emu, "GET", `${identity("vienna")}/projects/${id}`, { headers: auth(bob) })).status).toBe(200);
    expect((await call(v.emu, "GET", `${identity("vienna")}/projects/${id}`, { headers: auth(v.tokens) })).status).toBe(404);
    expect((await call(v.emu, "GET", listPath(), { headers: auth(v.tokens) })).json).toEqual([]);
    expect((await call(v.emu, "DELETE", `${identity("vienna")}/org-bob/projects/${id}`, { headers: auth(v.tokens) })).status).toBe(403);
    // An org in the path that is the caller's, but the project is another org's: 404.
    expect((await call(v.emu, "DELETE", `${identity("vienna")}/${ORG}/projects/${id}`, { headers: auth(v.tokens) })).status).toBe(404);
  });
});
