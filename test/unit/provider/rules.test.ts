// The input rules in process: the rule module itself, every resource's check on bad input
// (what the end-to-end suite drives through the CLI, and more), settings, and the functions'
// argument checks. No server is involved: every case must be refused before any call.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { AxwayClient } from "../../../provider/clients/axway/client";
import { FILTER_FIELDS, FILTER_OPS, RANGE_OPS } from "../../../provider/clients/axway/schemas";
import { axwaySettings, ventusOrganizationSetting, ventusSettings, type ConfigSource } from "../../../provider/config";
import { failure, validate } from "../../../provider/resources/common";
import { organizationApiAccess } from "../../../provider/resources/organizationApiAccess";
import { portalOrganization } from "../../../provider/resources/portalOrganization";
import { registrationToken } from "../../../provider/resources/registrationToken";
import {
  INVALID_DATE,
  LIMITS,
  MAX_TIME,
  closest,
  editDistance,
  epochMillis,
  id,
  nonBlank,
  readImage,
  segmentName,
  shown,
  text,
  unknownFieldMessage,
} from "../../../provider/rules";
import { ventusProject } from "../../../provider/resources/ventusProject";

// The settings point nowhere: a create's check asks the portal for its custom properties, here none.
beforeAll(() => jest.spyOn(AxwayClient.prototype, "organizationCustomProperties").mockResolvedValue({}));
import { getPortalApis, getPortalOrganizations, getPrices, getVentusProjects } from "../../../provider/functions";
import { toTimeInput } from "../../../sdk/time";
import { providerContext } from "../../../provider/context";

/** The context the operations run with: the environment alone, unless a test sets another. */
let ctx = providerContext(undefined);

type Props = Record<string, unknown>;

const SETTINGS_ENV = [
  "VENTUS_USERNAME",
  "VENTUS_PASSWORD",
  "VENTUS_ORGANIZATION_ID",
  "VENTUS_AUTH_URL",
  "VENTUS_API_URL",
  "VENTUS_CA_CERT_PATH",
  "VENTUS_INSECURE_SKIP_VERIFY",
  "VENTUS_ALLOW_INSECURE_HTTP",
  "AXWAY_URL",
  "AXWAY_USERNAME",
  "AXWAY_PASSWORD",
  "AXWAY_CA_CERT_PATH",
  "AXWAY_INSECURE_SKIP_VERIFY",
  "AXWAY_SESSION_LOGIN",
  "AXWAY_ALLOW_INSECURE_HTTP",
];
const GOOD: Record<string, string> = {
  VENTUS_USERNAME: "demo@ventus.example",
  VENTUS_PASSWORD: "demo-password",
  VENTUS_ORGANIZATION_ID: "c19a5b1e-7d1f-4c43-9a51-0f6b2d1e8e50",
  // Never reached: every case here is refused before a connection.
  VENTUS_AUTH_URL: "https://auth.example.invalid",
  VENTUS_API_URL: "https://api.example.invalid",
  AXWAY_URL: "https://portal.example.invalid:8075",
  AXWAY_USERNAME: "apiadmin",
  AXWAY_PASSWORD: "changeme",
};
const saved: Record<string, string | undefined> = {};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pva-input-rules-"));
const file = (name: string, bytes: Buffer | string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, bytes);
  return f;
};
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const CA = path.join(__dirname, "../../fixtures/test-ca.pem");

beforeAll(() => {
  for (const k of SETTINGS_ENV) saved[k] = process.env[k];
});
beforeEach(() => {
  for (const k of SETTINGS_ENV) delete process.env[k];
  Object.assign(process.env, GOOD);
  ctx = providerContext(undefined);
});
afterAll(() => {
  for (const k of SETTINGS_ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  ctx = providerContext(undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

const source = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });
const HUGE = "x".repeat(100_000);

describe("the rule module", () => {
  test.each([
    ["", "must not be empty"],
    ["  ", "must not be empty"],
    ["a\u0000b", "must not contain control characters (U+0000 at character 2)"],
    ["a\nb", "must not contain control characters (U+000A at character 2)"],
    ["\u001b[31m", "must not contain control characters (U+001B at character 1)"],
    ["a\u0085", "must not contain control characters (U+0085 at character 2)"],
    ["a\u2028", "must not contain control characters (U+2028 at character 2)"],
    ["n".repeat(256), "must be at most 255 characters (got 256)"],
    [HUGE, "must be at most 255 characters (got 100000)"],
    [42, "must be a string"],
    [undefined, "is required"],
  ])("nonBlank refuses %j: %s (one message, never the value)", (value, message) => {
    const r = nonBlank().safeParse(value);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toEqual([message]);
  });

  test("text allows empty strings and the characters people write", () => {
    for (const v of ["", "Team A / Q3 — Zürich 🚀", "x".repeat(255)]) expect(text().parse(v)).toBe(v);
    expect(text(LIMITS.description).safeParse("d".repeat(4097)).error?.issues[0].message).toBe(
      "must be at most 4096 characters (got 4097)",
    );
  });

  test.each([
    [".", 'must not be "." or ".."'],
    ["..", 'must not be "." or ".."'],
    ["../x", "must not contain '/', '\\', '?', '#' or spaces"],
    ["a\\b", "must not contain '/', '\\', '?', '#' or spaces"],
    ["a?b", "must not contain '/', '\\', '?', '#' or spaces"],
    ["a#b", "must not contain '/', '\\', '?', '#' or spaces"],
    ["a b", "must not contain '/', '\\', '?', '#' or spaces"],
    ["a\tb", "must not contain control characters (U+0009 at character 2)"],
    ["", "must not be empty"],
    ["i".repeat(256), "must be at most 255 characters (got 256)"],
  ])("id refuses %j: %s", (value, message) => {
    expect(
      id()
        .safeParse(value)
        .error?.issues.map((i) => i.message),
    ).toEqual([message]);
  });

  test("id takes uuids, numbers as text and dots inside", () => {
    for (const v of ["c19a5b1e-7d1f-4c43-9a51-0f6b2d1e8e50", "257690", "a.b", "...", "%2E%2E"]) expect(id().parse(v)).toBe(v);
  });

  test("a name that travels as a path segment refuses only the dot-segments beyond the name rule", () => {
    for (const v of [".", ".."])
      expect(
        segmentName()
          .safeParse(v)
          .error?.issues.map((i) => i.message),
      ).toEqual(['must not be "." or ".."']);
    expect(
      segmentName()
        .safeParse(" ")
        .error?.issues.map((i) => i.message),
    ).toEqual(["must not be empty"]);
    for (const v of ["...", ".web", "a/b", "Team A", "%2E%2E"]) expect(segmentName().parse(v)).toBe(v);
  });

  const ISO = "must be an ISO 8601 date or date-time, e.g. 2030-03-07 or 2030-03-07T12:00:00Z";
  const timeMessage = (v: unknown) => epochMillis().safeParse(v).error?.issues[0].message;

  test("times: ISO 8601 dates (midnight UTC) and date-times with a zone, and epoch ms, from 1970 to the end of 9999", () => {
    const t = (v: unknown) => epochMillis().parse(v);
    expect(t("2030-03-07")).toBe(Date.UTC(2030, 2, 7));
    expect(t("2030-03-07T12:00:00Z")).toBe(Date.UTC(2030, 2, 7, 12));
    expect(t("2030-03-07T12:00Z")).toBe(Date.UTC(2030, 2, 7, 12));
    expect(t("2030-03-07T13:00:00+01:00")).toBe(Date.UTC(2030, 2, 7, 12));
    expect(t("2030-03-07T10:30:00-0130")).toBe(Date.UTC(2030, 2, 7, 12));
    expect(t("2030-03-07T17:00:00+05")).toBe(Date.UTC(2030, 2, 7, 12));
    expect(t("2030-03-07T12:00:00.250Z")).toBe(Date.UTC(2030, 2, 7, 12, 0, 0, 250));
    expect(t("2030-03-07T12:00:00,2509Z")).toBe(Date.UTC(2030, 2, 7, 12, 0, 0, 250)); // finer than ms is cut
    expect(t("2028-02-29")).toBe(Date.UTC(2028, 1, 29));
    expect(t(Date.UTC(2030, 0, 1))).toBe(Date.UTC(2030, 0, 1));
    expect(t(0)).toBe(0);
    expect(t(MAX_TIME)).toBe(MAX_TIME);
    expect(t("9999-12-31T23:59:59.999Z")).toBe(MAX_TIME);
  });

  test.each([
    ["March 7 2030", ""],
    ["7.3.2030", ""],
    ["2030/03/07", ""],
    ["20300307", "; digits alone are no time (epoch milliseconds are a number, not a string)"],
    [" 2030-03-07", ""],
    ["2030-03-07t12:00:00z", ""],
    ["Thu, 07 Mar 2030 12:00:00 GMT", ""],
    ["1900000000", "; digits alone are no time (epoch milliseconds are a number, not a string)"],
    ["1900000000000", "; digits alone are no time (epoch milliseconds are a number, not a string)"],
    ["2030-03-07T12:00:00", ", which has no time zone (add Z or an offset such as +01:00)"],
    ["2030-02-29", ", which is no such date or time"],
    ["2030-04-31", ", which is no such date or time"],
    ["2030-13-01", ", which is no such date or time"],
    ["2030-03-07T24:00:00Z", ", which is no such date or time"],
    ["2030-03-07T12:60:00Z", ", which is no such date or time"],
    ["2030-03-07T12:00:00+01:75", ", which is no such date or time"],
  ])("times: %j is refused with the rule", (v, why) => {
    expect(timeMessage(v)).toBe(`${ISO} (got ${JSON.stringify(v)}${why})`);
  });

  test("times: out of range, not whole, not a time at all", () => {
    expect(timeMessage(MAX_TIME + 1)).toBe("must not be after 9999-12-31T23:59:59.999Z (got 253402300800000)");
    expect(timeMessage(94_670_000_000_000_000)).toMatch(/^must not be after 9999-12-31/);
    expect(timeMessage(-1)).toBe("must not be before 1970-01-01 (got -1)");
    expect(timeMessage("1969-12-31T23:59:59Z")).toBe('must not be before 1970-01-01 (got "1969-12-31T23:59:59Z")');
    expect(timeMessage("0050-01-01")).toBe('must not be before 1970-01-01 (got "0050-01-01")');
    expect(timeMessage(1.5)).toBe("must be whole epoch milliseconds (got 1.5)");
    expect(timeMessage(INVALID_DATE)).toBe("is an invalid Date (new Date(...) could not read its argument)");
    expect(timeMessage(true)).toBe(
      "must be an ISO 8601 date or date-time (e.g. 2030-03-07 or 2030-03-07T12:00:00Z), a Date or epoch milliseconds",
    );
    expect(timeMessage(HUGE)).toBe(`${ISO} (got "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…" (100000 characters))`);
  });

  test("the SDK sends a Date as epoch milliseconds, whatever its year, and one that holds no time as a marker check names", () => {
    expect(toTimeInput(new Date("garbage"))).toBe(INVALID_DATE);
    expect(toTimeInput(new Date(Date.UTC(2030, 0, 1)))).toBe(Date.UTC(2030, 0, 1));
    expect(timeMessage(toTimeInput(new Date("+200000-01-01T00:00:00Z")))).toMatch(/^must not be after 9999-12-31/);
    expect(toTimeInput(5)).toBe(5);
  });

  test("shown: JSON, escaped, cut to about 40 characters with the length", () => {
    expect(shown("a\u001b[31m\u0085")).toBe('"a\\u001b[31m\\u0085"');
    expect(shown(HUGE)).toBe(`"${"x".repeat(40)}…" (100000 characters)`);
    expect(shown(12)).toBe("12");
  });

  test("did you mean: swaps and small slips of a known name, nothing for unrelated names", () => {
    expect(editDistance("emial", "email")).toBe(1);
    expect(closest("emial", ["name", "email"])).toBe("email");
    expect(closest("nmae", ["name", "region"])).toBe("name");
    expect(closest("organizationID", ["organizationId", "apiId"])).toBe("organizationId");
    expect(closest("userQuote", ["organizationId", "userQuota", "expiry"])).toBe("userQuota");
    expect(closest("desc", ["name", "description"])).toBe("description");
    expect(closest("colour", ["name", "region", "importId"])).toBeUndefined();
    expect(closest(HUGE, ["name"])).toBeUndefined();
    expect(unknownFieldMessage("skypeId", ["name", "email"])).toBe("is not an input (inputs: name, email)");
    expect(unknownFieldMessage("x", [], "argument")).toBe("is not an argument (there are none)");
  });

  test("images: a JPEG of at most 1 MiB; the size is checked before reading", () => {
    expect(readImage(file("ok.jpg", Buffer.concat([JPEG, Buffer.alloc(LIMITS.imageBytes - JPEG.length)]))).bytes.length).toBe(
      LIMITS.imageBytes,
    );
    const big = file("big.jpg", Buffer.concat([JPEG, Buffer.alloc(5 * 1024 * 1024)]));
    expect(() => readImage(big)).toThrow(/is 5\.0 MiB; the portal takes images of at most 1 MiB \(1048576 bytes\)$/);
    expect(() => readImage(file("a.png", "\x89PNG\r\n\x1a\n"))).toThrow(/is not a JPEG file \(the portal takes JPEG images only\)$/);
    expect(() => readImage(path.join(dir, "absent.jpg"))).toThrow(/^no such file: /);
    expect(() => readImage(dir)).toThrow(/is not a file$/);
  });
});

describe("check failures", () => {
  test("the property is named only when the engine may print its value beside the reason", () => {
    const news = { name: "ok", long: HUGE, esc: "a\u001b", importId: "code", n: 5 };
    expect(failure(news, "name", "r")).toEqual({ property: "name", reason: "r" });
    expect(failure(news, "n", "r").property).toBe("n");
    expect(failure(news, "absent", "r").property).toBe("absent");
    expect(failure(news, "long", "r").property).toBe("");
    expect(failure(news, "esc", "r").property).toBe("");
    expect(failure(news, "importId", "r", ["importId"]).property).toBe("");
  });

  test("unknown fields are refused; the engine's own, the outputs and undefined values are not", async () => {
    const r = await ventusProject.operations.check(ctx, {}, { region: "vienna", name: "web", colour: "red", nmae: "x" });
    expect(r.failures).toEqual([
      { property: "colour", reason: "colour: is not an input (inputs: organizationId, region, name, importId)" },
      { property: "nmae", reason: "nmae: is not an input; did you mean name?" },
    ]);
    const ok = await ventusProject.operations.check(
      ctx,
      {},
      { region: "vienna", name: "web", __provider: "p", regionName: undefined, other: undefined },
    );
    expect(ok.failures).toBeUndefined();
    const huge = validate(z.object({ a: z.string().optional() }), { [HUGE]: 1 });
    expect(huge.failures![0]).toEqual({ property: "", reason: `"${"x".repeat(40)}…" (100000 characters): is not an input (inputs: a)` });
  });
});

type Check = (news: Props) => Promise<{ failures?: Array<{ property: string; reason: string }>; inputs?: Props }>;
const checks: Record<string, Check> = {
  VentusProject: (n) => ventusProject.operations.check(ctx, {}, { region: "vienna", name: "web", ...n }),
  PortalOrganization: (n) => portalOrganization.operations.check(ctx, {}, { name: "Acme", ...n }),
  OrganizationApiAccess: (n) => organizationApiAccess.operations.check(ctx, {}, { organizationId: "org-1", apiId: "api-1", ...n }),
  RegistrationToken: (n) => registrationToken.operations.check(ctx, {}, { organizationId: "org-1", ...n }),
};

describe.each([
  ["VentusProject", { name: "" }, "name: must not be empty"],
  ["VentusProject", { name: "a\u0000b" }, "name: must not contain control characters (U+0000 at character 2)"],
  ["VentusProject", { name: HUGE }, "name: must be at most 255 characters (got 100000)"],
  ["VentusProject", { name: "." }, 'name: must not be "." or ".."'],
  ["VentusProject", { name: ".." }, 'name: must not be "." or ".."'],
  ["VentusProject", { organizationId: ".." }, 'organizationId: must not be "." or ".."'],
  ["VentusProject", { organizationId: "../x" }, "organizationId: must not contain '/', '\\', '?', '#' or spaces"],
  ["VentusProject", { importId: "." }, 'importId: must not be "." or ".."'],
  ["PortalOrganization", { name: "Acme\u001b[0m" }, "name: must not contain control characters (U+001B at character 5)"],
  ["PortalOrganization", { description: "d".repeat(4097) }, "description: must be at most 4096 characters (got 4097)"],
  ["PortalOrganization", { description: "a\nb" }, "description: must not contain control characters (U+000A at character 2)"],
  ["PortalOrganization", { email: "nope" }, "email: must be an email address such as support@example.com"],
  ["PortalOrganization", { email: "a@b.example\r\n" }, "email: must not contain control characters (U+000D at character 12)"],
  ["PortalOrganization", { phone: "1".repeat(65) }, "phone: must be at most 64 characters (got 65)"],
  ["PortalOrganization", { virtualHost: "a/b" }, "virtualHost: must be a host name, without spaces or '/'"],
  ["PortalOrganization", { virtualHost: "h".repeat(254) }, "virtualHost: must be at most 253 characters (got 254)"],
  ["PortalOrganization", { trialDuration: -1 }, "trialDuration: must be 0 or more"],
  ["PortalOrganization", { trialDuration: 0.5 }, "trialDuration: must be a whole number of days"],
  ["PortalOrganization", { trialDuration: 2 ** 31 }, "trialDuration: must be at most 2147483647"],
  ["PortalOrganization", { trialDuration: "30" }, "trialDuration: must be a number of days"],
  ["PortalOrganization", { enabled: "yes" }, "enabled: must be true or false"],
  [
    "PortalOrganization",
    { startTrialDate: INVALID_DATE },
    "startTrialDate: is an invalid Date (new Date(...) could not read its argument)",
  ],
  ["PortalOrganization", { endTrialDate: MAX_TIME + 1 }, "endTrialDate: must not be after 9999-12-31T23:59:59.999Z (got 253402300800000)"],
  ["PortalOrganization", { startTrialDate: "2030-02-01", endTrialDate: "2030-01-01" }, "endTrialDate: must not be before startTrialDate"],
  ["PortalOrganization", { image: HUGE }, "image: must be at most 4096 characters (got 100000)"],
  ["PortalOrganization", { image: "" }, "image: must not be empty"],
  [
    "PortalOrganization",
    { skypeId: "acme" },
    "skypeId: is not an input (inputs: name, description, email, phone, enabled, development, restricted, virtualHost, isTrial, trialDuration, startTrialDate, endTrialDate, image, importId, customProperties)",
  ],
  ["PortalOrganization", { descripton: "x" }, "descripton: is not an input; did you mean description?"],
  ["PortalOrganization", { importId: ".." }, 'importId: must not be "." or ".."'],
  ["OrganizationApiAccess", { organizationId: "." }, 'organizationId: must not be "." or ".."'],
  ["OrganizationApiAccess", { apiId: "a/../b" }, "apiId: must not contain '/', '\\', '?', '#' or spaces"],
  ["OrganizationApiAccess", { apiId: undefined }, "apiId: is required"],
  ["OrganizationApiAccess", { enabled: "true" }, "enabled: must be true or false"],
  ["OrganizationApiAccess", { importId: "x?y" }, "importId: must not contain '/', '\\', '?', '#' or spaces"],
  ["OrganizationApiAccess", { apiID: "x" }, "apiID: is not an input; did you mean apiId?"],
  ["RegistrationToken", { importId: ".." }, 'importId: must not be "." or ".."'],
  ["RegistrationToken", { organizationId: "" }, "organizationId: must not be empty"],
  ["RegistrationToken", { userQuota: -1 }, "userQuota: must be 0 or more"],
  ["RegistrationToken", { userQuota: 2.5 }, "userQuota: must be a whole number"],
  ["RegistrationToken", { userQuota: 2 ** 31 }, "userQuota: must be at most 2147483647"],
  ["RegistrationToken", { expiry: INVALID_DATE }, "expiry: is an invalid Date (new Date(...) could not read its argument)"],
  ["RegistrationToken", { expiry: 94_670_000_000_000_000 }, "expiry: must not be after 9999-12-31T23:59:59.999Z (got 94670000000000000)"],
  [
    "RegistrationToken",
    { expiry: "garbage" },
    'expiry: must be an ISO 8601 date or date-time, e.g. 2030-03-07 or 2030-03-07T12:00:00Z (got "garbage")',
  ],
  [
    "RegistrationToken",
    { expiry: "1900000000" },
    'expiry: must be an ISO 8601 date or date-time, e.g. 2030-03-07 or 2030-03-07T12:00:00Z (got "1900000000"; digits alone are no time (epoch milliseconds are a number, not a string))',
  ],
  [
    "PortalOrganization",
    { startTrialDate: "March 7 2030" },
    'startTrialDate: must be an ISO 8601 date or date-time, e.g. 2030-03-07 or 2030-03-07T12:00:00Z (got "March 7 2030")',
  ],
  [
    "PortalOrganization",
    { endTrialDate: "2030-03-07T12:00:00" },
    'endTrialDate: must be an ISO 8601 date or date-time, e.g. 2030-03-07 or 2030-03-07T12:00:00Z (got "2030-03-07T12:00:00", which has no time zone (add Z or an offset such as +01:00))',
  ],
  ["RegistrationToken", { enabled: 1 }, "enabled: must be true or false"],
  ["RegistrationToken", { userQuote: 5 }, "userQuote: is not an input; did you mean userQuota?"],
] as Array<[string, Props, string]>)("%s check refuses %j", (resource, news, reason) => {
  test(`with "${reason.slice(0, 60)}"`, async () => {
    const r = await checks[resource](news);
    expect(r.failures?.map((f) => f.reason)).toEqual([reason]);
  });
});

describe("images at check", () => {
  test("a 5 MB image is refused at preview, naming the limit; a good one is hashed", async () => {
    const big = file("big5.jpg", Buffer.concat([JPEG, Buffer.alloc(5 * 1024 * 1024)]));
    const r = await portalOrganization.operations.check(ctx, {}, { name: "Acme", image: big });
    expect(r.failures).toHaveLength(1);
    expect(r.failures![0].reason).toMatch(/^image: ".*big5\.jpg" is 5\.0 MiB; the portal takes images of at most 1 MiB \(1048576 bytes\)$/);
    const ok = await portalOrganization.operations.check(
      ctx,
      {},
      { name: "Acme", image: file("small.jpg", Buffer.concat([JPEG, Buffer.from("x")])) },
    );
    expect(ok.failures).toBeUndefined();
    expect(ok.inputs!.imageHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test("the secret importId of a registration code is never a printed property", async () => {
    const r = await registrationToken.operations.check(ctx, {}, { organizationId: "org-1", importId: "12 34" });
    expect(r.failures).toEqual([{ property: "", reason: "importId: must not contain '/', '\\', '?', '#' or spaces" }]);
  });
});

describe("settings", () => {
  const ventus = (values: Record<string, string>) => () => ventusSettings(source(values));
  const axway = (values: Record<string, string>) => () => axwaySettings(source(values));

  test.each([
    [{ "ventus:apiUrl": "not a url" }, 'ventus:apiUrl (or VENTUS_API_URL): must be a URL such as https://host:port, not "not a url"'],
    [
      { "ventus:authUrl": "ftp://auth.example.invalid" },
      'ventus:authUrl (or VENTUS_AUTH_URL): must be an https:// URL, not ftp:// (got "ftp://auth.example.invalid")',
    ],
    [
      { "ventus:apiUrl": "http://api.example.invalid" },
      'ventus:apiUrl (or VENTUS_API_URL): uses plain http:// to "api.example.invalid", which is not this machine: credentials would travel unencrypted. Use https://, or set ventus:allowInsecureHttp (or VENTUS_ALLOW_INSECURE_HTTP) to true',
    ],
    [
      { "ventus:apiUrl": "https://u:secret@api.example.invalid" },
      "ventus:apiUrl (or VENTUS_API_URL): must not contain credentials: set the username and password settings instead",
    ],
    [
      { "ventus:apiUrl": "https://api.example.invalid/?x=1" },
      'ventus:apiUrl (or VENTUS_API_URL): must not have a query or fragment (got "https://api.example.invalid/?x=1")',
    ],
    [{ "ventus:apiUrl": `https://${"h".repeat(3000)}` }, "ventus:apiUrl (or VENTUS_API_URL): must be at most 2048 characters (got 3008)"],
    [
      { "ventus:allowInsecureHttp": "maybe" },
      'ventus:allowInsecureHttp (or VENTUS_ALLOW_INSECURE_HTTP): must be true, false, 1 or 0, not "maybe"',
    ],
    [
      { "ventus:insecureSkipVerify": "yes" },
      'ventus:insecureSkipVerify (or VENTUS_INSECURE_SKIP_VERIFY): must be true, false, 1 or 0, not "yes"',
    ],
    [
      { "ventus:username": "me\u001b[2J" },
      "ventus:username (or VENTUS_USERNAME): must not contain control characters (U+001B at character 3)",
    ],
    [{ "ventus:maxConnections": "0" }, 'ventus:maxConnections (or VENTUS_MAX_CONNECTIONS): must be a whole number from 1 to 1024, not "0"'],
    [
      { "ventus:maxConnections": "many" },
      'ventus:maxConnections (or VENTUS_MAX_CONNECTIONS): must be a whole number from 1 to 1024, not "many"',
    ],
  ])("Ventus %j", (values, message) => {
    expect(ventus(values)).toThrow(message);
    try {
      ventus(values)();
    } catch (e) {
      expect((e as { problems: string[] }).problems).toEqual([message]);
      expect((e as Error).message).not.toContain("secret");
    }
  });

  test("maxConnections sizes the pool; absent, the HTTP core's default applies", () => {
    expect(ventus({ "ventus:maxConnections": " 64 " })().maxConnections).toBe(64);
    expect(axway({ "axway:maxConnections": "1024" })().maxConnections).toBe(1024);
    expect(ventus({})().maxConnections).toBeUndefined();
  });

  test("plain http to loopback is fine, and to another host with allowInsecureHttp", () => {
    expect(ventus({ "ventus:apiUrl": "http://127.0.0.1:8080", "ventus:authUrl": "http://localhost:1" })().apiUrl).toBe(
      "http://127.0.0.1:8080",
    );
    expect(ventus({ "ventus:apiUrl": "http://api.example.invalid", "ventus:allowInsecureHttp": "true" })().allowInsecureHttp).toBe(true);
    process.env.AXWAY_ALLOW_INSECURE_HTTP = "1";
    expect(axway({ "axway:url": "http://portal.example.invalid" })().url).toBe("http://portal.example.invalid");
  });

  test("caCertPath must name a PEM certificate, for both services", () => {
    expect(ventus({ "ventus:caCertPath": CA })().caCertPath).toBeInstanceOf(Buffer);
    expect(axway({ "axway:caCertPath": CA })().caCertPath).toBeInstanceOf(Buffer);
    const notPem = file("not.pem", "hello\n");
    expect(ventus({ "ventus:caCertPath": notPem })).toThrow(
      /^ventus:caCertPath \(or VENTUS_CA_CERT_PATH\): names ".*not\.pem", which is not a PEM certificate \(no BEGIN CERTIFICATE block\)$/,
    );
    const broken = file("broken.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    expect(axway({ "axway:caCertPath": broken })).toThrow(
      /^axway:caCertPath \(or AXWAY_CA_CERT_PATH\): names ".*broken\.pem", which holds a certificate that cannot be parsed$/,
    );
    expect(axway({ "axway:caCertPath": path.join(dir, "absent.pem") })).toThrow(
      /^axway:caCertPath \(or AXWAY_CA_CERT_PATH\): names a file that cannot be read: ".*absent\.pem" \(ENOENT\)$/,
    );
  });

  test("missing credentials and other problems are reported together", () => {
    delete process.env.AXWAY_PASSWORD;
    let err: unknown;
    try {
      axway({ "axway:sessionLogin": "sometimes" })();
    } catch (e) {
      err = e;
    }
    expect((err as { problems: string[] }).problems).toEqual([
      "Axway API Manager credentials are not configured: set axway:password (or AXWAY_PASSWORD)",
      'axway:sessionLogin (or AXWAY_SESSION_LOGIN): must be true, false, 1 or 0, not "sometimes"',
    ]);
  });

  test("ventus:organizationId follows the resource's id rule", () => {
    expect(ventusOrganizationSetting(source({ "ventus:organizationId": "org-1" }))).toBe("org-1");
    expect(() => ventusOrganizationSetting(source({ "ventus:organizationId": ".." }))).toThrow(
      'ventus:organizationId (or VENTUS_ORGANIZATION_ID): must not be "." or ".."',
    );
    expect(() => ventusOrganizationSetting(source({ "ventus:organizationId": " " }))).toThrow(
      "ventus:organizationId (or VENTUS_ORGANIZATION_ID): must not be empty",
    );
    delete process.env.VENTUS_ORGANIZATION_ID;
    expect(ventusOrganizationSetting(source({}))).toBeUndefined();
  });

  test.each([
    [
      "VentusProject",
      { VENTUS_API_URL: "ftp://x.example.invalid" },
      "ventus:apiUrl (or VENTUS_API_URL): must be an https:// URL, not ftp://",
    ],
    ["VentusProject", { VENTUS_ORGANIZATION_ID: "../x" }, "ventus:organizationId (or VENTUS_ORGANIZATION_ID): must not contain '/'"],
    ["VentusProject", { VENTUS_PASSWORD: "" }, "Ventus Cloud credentials are not configured: set ventus:password (or VENTUS_PASSWORD)"],
    ["PortalOrganization", { AXWAY_URL: "http://portal.example.invalid" }, "axway:url (or AXWAY_URL): uses plain http://"],
    [
      "OrganizationApiAccess",
      { AXWAY_CA_CERT_PATH: "/nonexistent/ca.pem" },
      "axway:caCertPath (or AXWAY_CA_CERT_PATH): names a file that cannot be read",
    ],
    [
      "RegistrationToken",
      { AXWAY_USERNAME: "" },
      "Axway API Manager credentials are not configured: set axway:username (or AXWAY_USERNAME)",
    ],
  ])("%s check returns settings problems as failures (no exception): %j", async (resource, env, reason) => {
    Object.assign(process.env, env);
    const r = await checks[resource]({});
    expect(r.failures).toHaveLength(1);
    expect(r.failures![0].reason).toContain(reason);
  });

  test("a resource's own organizationId makes a bad ventus:organizationId irrelevant", async () => {
    process.env.VENTUS_ORGANIZATION_ID = "..";
    expect((await checks.VentusProject({ organizationId: "org-1" })).failures).toBeUndefined();
    const r = await checks.VentusProject({});
    expect(r.failures).toEqual([
      { property: "organizationId", reason: 'ventus:organizationId (or VENTUS_ORGANIZATION_ID): must not be "." or ".."' },
    ]);
  });
});

describe("functions refuse bad arguments synchronously with a RunError naming the function, argument and rule", () => {
  const runError = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(pulumi.RunError.isInstance(e)).toBe(true);
      return (e as Error).message;
    }
    throw new Error("did not throw");
  };

  test.each([
    [() => getPrices({ currency: "chf" } as never), "getPrices: currency: is not an argument (there are none)"],
    [() => getVentusProjects({ organizationId: ".." }), 'getVentusProjects: organizationId: must not be "." or ".."'],
    [() => getVentusProjects({ organizationId: 5 } as never), "getVentusProjects: organizationId: must be a string"],
    [() => getVentusProjects({ orgId: "x" } as never), "getVentusProjects: orgId: is not an argument (arguments: organizationId)"],
    [
      () => getPortalOrganizations({ filters: [{ field: "colour", op: "eq", value: "x" }] }),
      `getPortalOrganizations: filters[0].field: must be one of ${FILTER_FIELDS.join(", ")}`,
    ],
    [
      () => getPortalOrganizations({ filters: [{ field: "name", op: "contains", value: "x" }] }),
      `getPortalOrganizations: filters[0].op: must be one of ${FILTER_OPS.join(", ")}`,
    ],
    [
      () => getPortalOrganizations({ filters: [{ field: "createdOn", op: "gete", value: "1" }] }),
      `getPortalOrganizations: filters[0].value: for a range op (${RANGE_OPS.join(", ")}) must be "low,high"`,
    ],
    [
      () => getPortalOrganizations({ filters: [{ field: "name", op: "eq", value: "a\nb" }] }),
      "getPortalOrganizations: filters[0].value: must not contain control characters (U+000A at character 2)",
    ],
    [() => getPortalOrganizations({ filters: "name" } as never), "getPortalOrganizations: filters: must be a list of { field, op, value }"],
    [() => getPortalOrganizations({ logic: "XOR" } as never), "getPortalOrganizations: logic: must be AND or OR"],
    [() => getPortalApis({ name: "" }), "getPortalApis: name: must not be empty"],
    [() => getPortalApis({ name: HUGE }), "getPortalApis: name: must be at most 255 characters (got 100000)"],
    [() => getPortalApis({ nmae: "x" } as never), "getPortalApis: nmae: is not an argument; did you mean name?"],
    [() => getPortalApis("Inventory" as never), "getPortalApis: arguments must be an object"],
    [
      () => getPortalApis({ name: pulumi.output("x") } as never),
      "getPortalApis: arguments must be plain values, not Outputs (call it inside .apply(), or call getPortalApisOutput)",
    ],
  ])("%#: %s", (f, message) => {
    expect(runError(f)).toBe(message);
  });

  test("settings problems too, before any call", () => {
    process.env.VENTUS_AUTH_URL = "ftp://auth.example.invalid";
    expect(runError(() => getPrices())).toBe(
      'getPrices: ventus:authUrl (or VENTUS_AUTH_URL): must be an https:// URL, not ftp:// (got "ftp://auth.example.invalid")',
    );
    delete process.env.VENTUS_ORGANIZATION_ID;
    expect(runError(() => getVentusProjects())).toBe(
      "getVentusProjects: organizationId: not given, and neither ventus:organizationId nor VENTUS_ORGANIZATION_ID is set",
    );
    process.env.VENTUS_ORGANIZATION_ID = "..";
    expect(runError(() => getVentusProjects())).toBe(
      'getVentusProjects: ventus:organizationId (or VENTUS_ORGANIZATION_ID): must not be "." or ".."',
    );
    delete process.env.AXWAY_PASSWORD;
    expect(runError(() => getPortalApis())).toBe(
      "getPortalApis: Axway API Manager credentials are not configured: set axway:password (or AXWAY_PASSWORD)",
    );
  });
});
