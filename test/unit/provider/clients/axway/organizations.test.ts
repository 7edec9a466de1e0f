// AxwayClient's organizations (provider/clients/axway/organizations.ts) against the real
// emulator: CRUD, what is sent, filters with the range op, and the picture.
import { client, emulatorPerTest, jpeg, organizationCrud, P, rejection } from "./harness";

emulatorPerTest();

describe("organizations", () => {
  test("create, get, full-object update, delete; 404 reads as undefined/false", async () => {
    await organizationCrud(client());
  });

  test("only the writable fields are sent: a whole Organization passed back does not send image, dn or createdOn", async () => {
    const c = client();
    const org = await c.createOrganization({
      name: "Roundtrip",
      isTrial: true,
      trialDuration: 30,
      startTrialDate: 1000,
      endTrialDate: 2000,
    });
    expect(org).toMatchObject({ isTrial: true, trialDuration: 30, startTrialDate: 1000, endTrialDate: 2000 });
    const again = await c.updateOrganization(org.id, { ...org, description: "x" } as never);
    expect(again).toMatchObject({ id: org.id, description: "x", trialDuration: 30, createdOn: org.createdOn, image: null });
  });

  test("duplicate name → ApiError 409 with the server's message", async () => {
    const c = client();
    await c.createOrganization({ name: "Twice" });
    const err = await rejection(c.createOrganization({ name: "Twice" }));
    expect(err.status).toBe(409);
    expect(err.serverMessage).toBe("resource already exists");
    expect(err.message).toContain("resource already exists");
    expect(err.message).not.toContain("changeme");
  });

  test("filters: eq, like, gete on createdOn, OR", async () => {
    const c = client();
    const a = await c.createOrganization({ name: "Filter Alpha", email: "alpha@example.com", phone: "111" });
    const b = await c.createOrganization({ name: "Filter Beta", email: "beta@example.com", phone: "222", enabled: false });
    const names = (orgs: Array<{ name: string }>) => orgs.map((o) => o.name).sort();

    expect(names(await c.listOrganizations())).toEqual(["Filter Alpha", "Filter Beta", "Seeded Partner"]);
    expect(names(await c.listOrganizations([{ field: "name", op: "eq", value: "Filter Alpha" }]))).toEqual(["Filter Alpha"]);
    expect(names(await c.listOrganizations([{ field: "name", op: "like", value: "filter" }]))).toEqual(["Filter Alpha", "Filter Beta"]);
    expect(names(await c.listOrganizations([{ field: "enabled", op: "eq", value: "disabled" }]))).toEqual(["Filter Beta"]);

    const lo = Math.min(a.createdOn!, b.createdOn!);
    const hi = Math.max(a.createdOn!, b.createdOn!);
    const inRange = await c.listOrganizations([
      { field: "createdOn", op: "gete", value: `${lo},${hi}` },
      { field: "name", op: "like", value: "Filter*" },
    ]);
    expect(names(inRange)).toEqual(["Filter Alpha", "Filter Beta"]);
    expect(await c.listOrganizations([{ field: "createdOn", op: "gete", value: `${hi + 1},${hi + 2}` }])).toEqual([]);

    const either = await c.listOrganizations(
      [
        { field: "email", op: "eq", value: "alpha@example.com" },
        { field: "phone", op: "eq", value: "222" },
      ],
      "OR",
    );
    expect(names(either)).toEqual(["Filter Alpha", "Filter Beta"]);
    const both = await c.listOrganizations(
      [
        { field: "email", op: "eq", value: "alpha@example.com" },
        { field: "phone", op: "eq", value: "222" },
      ],
      "AND",
    );
    expect(both).toEqual([]);
  });

  test("a filter the portal refuses → ApiError 400; an unknown field is refused before sending", async () => {
    const c = client();
    const err = await rejection(c.listOrganizations([{ field: "createdOn", op: "gete", value: "5" }]));
    expect(err.status).toBe(400);
    await expect(c.listOrganizations([{ field: "colour" as never, op: "eq", value: "red" }])).rejects.toThrow(TypeError);
  });
});

describe("organization picture", () => {
  test("set and get roundtrip; none → undefined; not a JPEG → 400", async () => {
    const c = client();
    const org = await c.createOrganization({ name: "Pictured" });
    expect(await c.getOrganizationImage(org.id)).toBeUndefined();
    const picture = jpeg(2048);
    await c.setOrganizationImage(org.id, picture);
    const got = await c.getOrganizationImage(org.id);
    expect(got && got.equals(picture)).toBe(true);
    expect((await c.getOrganization(org.id))?.image).toBe(`${P}/organizations/${org.id}/image`);

    const err = await rejection(c.setOrganizationImage(org.id, Buffer.from("GIF89a not a jpeg")));
    expect(err.status).toBe(400);
    expect(err.serverMessage).toContain("JPEG");
  });

  test("picture of an unknown organization → undefined", async () => {
    expect(await client().getOrganizationImage("no-such-org")).toBeUndefined();
  });
});
