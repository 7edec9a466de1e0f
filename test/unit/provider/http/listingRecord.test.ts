// The record of shared listings that the drift command reads (provider/http/listingRecord.ts):
// what a refresh's reads listed is there once, by endpoint, kind and scope, with no secret in it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ListingRecord, ListingRecorder, listingEndpoint } from "../../../../provider/http/listingRecord";
import { registrationCodeId } from "../../../../provider/resources";
import { client, emulatorPerTest } from "../clients/axway/harness";

emulatorPerTest();

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "listing-record-"))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test("a refresh's shared listings are recorded once each, codes only as their resource id", async () => {
  const setup = client();
  const org = await setup.createOrganization({ name: "Recorded" });
  const code = await setup.createToken(org.id, { userQuota: 2, expiry: Date.now() + 86_400_000 });
  const [api] = await setup.listApis("Petstore");
  const grant = await setup.grantApiAccess(org.id, api.id);

  const endpoint = listingEndpoint("axway", "https://portal.example", "apiadmin");
  const reader = client({ listingRecord: new ListingRecorder(dir, endpoint) });
  // The reads of a refresh, at once: one listing of each kind answers them.
  await Promise.all([
    reader.readOrganization(org.id),
    reader.readOrganization(org.id),
    reader.readToken(org.id, code.token),
    reader.getApiAccess(org.id, grant.id),
  ]);

  const text = fs
    .readdirSync(dir)
    .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
    .join("");
  expect(text).not.toContain(code.token);
  expect(text.trim().split("\n")).toHaveLength(3);

  const record = new ListingRecord(dir);
  record.refresh();
  expect(record.get(endpoint, "organizations", "")).toContainEqual({ id: org.id, name: "Recorded" });
  expect(record.get(endpoint, "codes", org.id)).toEqual([{ id: registrationCodeId(code.token) }]);
  expect(record.get(endpoint, "grants", org.id)).toEqual([{ id: grant.id, apiId: api.id }]);
  // Another account's listings are not this one's.
  expect(record.get(listingEndpoint("axway", "https://portal.example", "orgadmin"), "organizations", "")).toBeUndefined();
  expect(fs.statSync(path.join(dir, fs.readdirSync(dir)[0])).mode & 0o777).toBe(0o600);
});

test("lines appended later are read by the next look; a damaged line is skipped", () => {
  const record = new ListingRecord(dir);
  const file = path.join(dir, "listings-1.jsonl");
  fs.writeFileSync(file, `${JSON.stringify({ endpoint: "e", kind: "projects", scope: "o", items: [{ id: "1" }] })}\n{broken\n`);
  record.refresh();
  expect(record.get("e", "projects", "o")).toEqual([{ id: "1" }]);
  fs.appendFileSync(file, `${JSON.stringify({ endpoint: "e", kind: "projects", scope: "o", items: [{ id: "2" }] })}\n{"half`);
  record.refresh();
  expect(record.get("e", "projects", "o")).toEqual([{ id: "2" }]);
});
