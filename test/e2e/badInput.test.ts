// Bad input through the real CLI: every case is one `pulumi preview` that must fail, name the
// field (or setting) and the rule in a short message without a stack trace, and make no API
// call. One emulator and one stack serve every case; settings come from the environment (the
// stack has no configuration), so a case changes the program and the environment only, and a
// few cases set stack configuration to show those settings are named the same way.
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { FILTER_FIELDS, RANGE_OPS } from "../../provider/clients/axway/schemas";
import { TestStack, VENTUS_ORG, VENTUS_PASSWORD, VENTUS_USER, emulator, type RunResult } from "./harness";

type Env = Record<string, string | undefined>;

interface Case {
  /** Resource, function or setting the case is about (counted in the report at the end). */
  group: string;
  what: string;
  program: string;
  /** What the output must say: the field or setting, and the rule. */
  says: string | RegExp;
  /** Overrides of the base environment; undefined removes a variable. */
  env?: Env;
  /** Stack configuration set for this case only. */
  config?: Record<string, string>;
  /** Text that must not appear in the output (a secret, a huge value). */
  never?: string[];
}

let emu: RunningEmulator;
let stack: TestStack;
let baseEnv: Env;
const started = Date.now();

const V = `const v = require("pulumi-ventus-axway");`;
const js = (x: unknown) => JSON.stringify(x);
const project = (args: Record<string, unknown>) => `${V}\nnew v.VentusProject("p", ${js({ region: "vienna", name: "web", ...args })});`;
const org = (args: Record<string, unknown>) => `${V}\nnew v.PortalOrganization("o", ${js({ name: "Acme", ...args })});`;
const access = (args: Record<string, unknown>) =>
  `${V}\nnew v.OrganizationApiAccess("a", ${js({ organizationId: "org-1", apiId: "api-1", ...args })});`;
const token = (args: Record<string, unknown>) => `${V}\nnew v.RegistrationToken("t", ${js({ organizationId: "org-1", ...args })});`;
/** A program whose argument is JavaScript source (Dates, computed strings). */
const raw = (statement: string) => `${V}\n${statement}`;

const HUGE = 100_000;
const huge = `"x".repeat(${HUGE})`;
const ESC = "\u001b[31m";

function dir(file: string): string {
  return path.join(stack.dir, file);
}

const cases: Case[] = [
  // ---- VentusProject --------------------------------------------------------------------
  { group: "VentusProject", what: "empty name", program: project({ name: "" }), says: "name: must not be empty" },
  {
    group: "VentusProject",
    what: "NUL in name",
    program: project({ name: "a\u0000b" }),
    says: "name: must not contain control characters (U+0000 at character 2)",
  },
  {
    group: "VentusProject",
    what: "newline in name",
    program: project({ name: "web\nfrontend" }),
    says: "name: must not contain control characters (U+000A at character 4)",
  },
  {
    group: "VentusProject",
    what: "ANSI escape in name",
    program: project({ name: `${ESC}red` }),
    says: "name: must not contain control characters (U+001B at character 1)",
  },
  {
    group: "VentusProject",
    what: "name of 100,000 characters",
    program: raw(`new v.VentusProject("p", { region: "vienna", name: ${huge} });`),
    says: `name: must be at most 255 characters (got ${HUGE})`,
    never: ["x".repeat(100)],
  },
  { group: "VentusProject", what: "name not a string", program: project({ name: 42 }), says: "name: must be a string" },
  {
    group: "VentusProject",
    what: "unknown input",
    program: project({ colour: "red" }),
    says: "colour: is not an input (inputs: organizationId, region, name, importId)",
  },
  { group: "VentusProject", what: "misspelt input", program: project({ nmae: "web" }), says: "nmae: is not an input; did you mean name?" },
  {
    group: "VentusProject",
    what: "organizationId ..",
    program: project({ organizationId: ".." }),
    says: 'organizationId: must not be "." or ".."',
  },
  {
    group: "VentusProject",
    what: "organizationId with /",
    program: project({ organizationId: "../x" }),
    says: "organizationId: must not contain '/', '\\', '?', '#' or spaces",
  },
  { group: "VentusProject", what: "importId ..", program: project({ importId: ".." }), says: 'importId: must not be "." or ".."' },
  { group: "VentusProject", what: "name . (a path segment)", program: project({ name: "." }), says: 'name: must not be "." or ".."' },
  { group: "VentusProject", what: "name .. (a path segment)", program: project({ name: ".." }), says: 'name: must not be "." or ".."' },

  // ---- PortalOrganization ---------------------------------------------------------------
  {
    group: "PortalOrganization",
    what: "name of 100,000 characters",
    program: raw(`new v.PortalOrganization("o", { name: ${huge} });`),
    says: `name: must be at most 255 characters (got ${HUGE})`,
    never: ["x".repeat(100)],
  },
  {
    group: "PortalOrganization",
    what: "newline in description",
    program: org({ description: "line 1\nline 2" }),
    says: "description: must not contain control characters (U+000A",
  },
  {
    group: "PortalOrganization",
    what: "description over 4096 characters",
    program: raw(`new v.PortalOrganization("o", { name: "Acme", description: "d".repeat(5000) });`),
    says: "description: must be at most 4096 characters (got 5000)",
    never: ["d".repeat(100)],
  },
  {
    group: "PortalOrganization",
    what: "email not an address",
    program: org({ email: "not-an-email" }),
    says: "email: must be an email address",
  },
  {
    group: "PortalOrganization",
    what: "newline in email",
    program: org({ email: "a@b.example\nBcc: x@y.example" }),
    says: "email: must not contain control characters",
  },
  {
    group: "PortalOrganization",
    what: "phone over 64 characters",
    program: org({ phone: "1".repeat(65) }),
    says: "phone: must be at most 64 characters (got 65)",
  },
  {
    group: "PortalOrganization",
    what: "virtualHost with a space",
    program: org({ virtualHost: "a b.example" }),
    says: "virtualHost: must be a host name, without spaces or '/'",
  },
  {
    group: "PortalOrganization",
    what: "trialDuration beyond int32",
    program: org({ trialDuration: 2 ** 40 }),
    says: "trialDuration: must be at most 2147483647",
  },
  {
    group: "PortalOrganization",
    what: "startTrialDate an invalid Date",
    program: raw(`new v.PortalOrganization("o", { name: "Acme", startTrialDate: new Date("garbage") });`),
    says: "startTrialDate: is an invalid Date",
  },
  {
    group: "PortalOrganization",
    what: "endTrialDate in the year 3,000,000 (epoch ms)",
    program: org({ endTrialDate: 94_670_000_000_000_000 }),
    says: "endTrialDate: must not be after 9999-12-31T23:59:59.999Z",
  },
  {
    group: "PortalOrganization",
    what: "startTrialDate not a date",
    program: org({ startTrialDate: "next tuesday" }),
    says: 'startTrialDate: must be an ISO 8601 date or date-time, e.g. 2030-03-07 or 2030-03-07T12:00:00Z (got "next tuesday")',
  },
  {
    group: "PortalOrganization",
    what: "startTrialDate a date in words",
    program: org({ startTrialDate: "March 7 2030" }),
    says: 'startTrialDate: must be an ISO 8601 date or date-time, e.g. 2030-03-07 or 2030-03-07T12:00:00Z (got "March 7 2030")',
  },
  {
    group: "PortalOrganization",
    what: "endTrialDate a date-time without a zone",
    program: org({ endTrialDate: "2030-03-07T12:00:00" }),
    says: 'endTrialDate: must be an ISO 8601 date or date-time, e.g. 2030-03-07 or 2030-03-07T12:00:00Z (got "2030-03-07T12:00:00", which has no time zone',
  },
  {
    group: "PortalOrganization",
    what: "endTrialDate February 30",
    program: org({ endTrialDate: "2030-02-30" }),
    says: 'endTrialDate: must be an ISO 8601 date or date-time, e.g. 2030-03-07 or 2030-03-07T12:00:00Z (got "2030-02-30", which is no such date or time)',
  },
  {
    group: "PortalOrganization",
    what: "trial ends before it starts",
    program: org({ startTrialDate: "2030-02-01", endTrialDate: "2030-01-01" }),
    says: "endTrialDate: must not be before startTrialDate",
  },
  {
    group: "PortalOrganization",
    what: "image of 5 MB",
    program: org({ image: "big.jpg" }),
    says: 'image: "big.jpg" is 5.0 MiB; the portal takes images of at most 1 MiB',
  },
  {
    group: "PortalOrganization",
    what: "image not a JPEG",
    program: org({ image: "logo.png" }),
    says: 'image: "logo.png" is not a JPEG file',
  },
  {
    group: "PortalOrganization",
    what: "image path of 100,000 characters",
    program: raw(`new v.PortalOrganization("o", { name: "Acme", image: ${huge} });`),
    says: `image: must be at most 4096 characters (got ${HUGE})`,
    never: ["x".repeat(100)],
  },
  {
    group: "PortalOrganization",
    what: "unknown input skypeId",
    program: org({ skypeId: "acme" }),
    says: "skypeId: is not an input (inputs: name, description, email",
  },
  { group: "PortalOrganization", what: "importId ..", program: org({ importId: ".." }), says: 'importId: must not be "." or ".."' },

  // ---- OrganizationApiAccess ------------------------------------------------------------
  {
    group: "OrganizationApiAccess",
    what: "organizationId ..",
    program: access({ organizationId: ".." }),
    says: 'organizationId: must not be "." or ".."',
  },
  {
    group: "OrganizationApiAccess",
    what: "empty organizationId",
    program: access({ organizationId: "" }),
    says: "organizationId: must not be empty",
  },
  { group: "OrganizationApiAccess", what: "apiId with /", program: access({ apiId: "api/../x" }), says: "apiId: must not contain '/'" },
  {
    group: "OrganizationApiAccess",
    what: "apiId missing",
    program: raw(`new v.OrganizationApiAccess("a", { organizationId: "org-1" });`),
    says: "apiId: is required",
  },
  {
    group: "OrganizationApiAccess",
    what: "misspelt input",
    program: access({ apiID: "api-1" }),
    says: "apiID: is not an input; did you mean apiId?",
  },
  {
    group: "OrganizationApiAccess",
    what: "NUL in importId",
    program: access({ importId: "a\u0000" }),
    says: "importId: must not contain control characters",
  },

  // ---- RegistrationToken ----------------------------------------------------------------
  {
    group: "RegistrationToken",
    what: "importId .. (would read the organization itself)",
    program: token({ importId: ".." }),
    says: 'importId: must not be "." or ".."',
  },
  {
    group: "RegistrationToken",
    what: "importId with / (secret: never printed)",
    program: token({ importId: "../code-4711" }),
    says: "importId: must not contain '/'",
    never: ["code-4711"],
  },
  {
    group: "RegistrationToken",
    what: "organizationId ..",
    program: token({ organizationId: ".." }),
    says: 'organizationId: must not be "." or ".."',
  },
  { group: "RegistrationToken", what: "negative userQuota", program: token({ userQuota: -1 }), says: "userQuota: must be 0 or more" },
  {
    group: "RegistrationToken",
    what: "userQuota beyond int32",
    program: token({ userQuota: 2 ** 31 }),
    says: "userQuota: must be at most 2147483647",
  },
  {
    group: "RegistrationToken",
    what: "expiry epoch seconds in a string",
    program: token({ expiry: "1900000000" }),
    says: 'expiry: must be an ISO 8601 date or date-time, e.g. 2030-03-07 or 2030-03-07T12:00:00Z (got "1900000000"; digits alone are no time',
  },
  {
    group: "RegistrationToken",
    what: "expiry in RFC 2822 form",
    program: token({ expiry: "Thu, 07 Mar 2030 12:00:00 GMT" }),
    says: 'expiry: must be an ISO 8601 date or date-time, e.g. 2030-03-07 or 2030-03-07T12:00:00Z (got "Thu, 07 Mar 2030 12:00:00 GMT")',
  },
  {
    group: "RegistrationToken",
    what: "expiry an invalid Date",
    program: raw(`new v.RegistrationToken("t", { organizationId: "org-1", expiry: new Date("garbage") });`),
    says: "expiry: is an invalid Date",
  },
  {
    group: "RegistrationToken",
    what: "expiry in the year 3,000,000 (epoch ms)",
    program: token({ expiry: 94_670_000_000_000_000 }),
    says: "expiry: must not be after 9999-12-31T23:59:59.999Z",
  },
  {
    group: "RegistrationToken",
    what: "expiry a Date in the year 200000",
    program: raw(`new v.RegistrationToken("t", { organizationId: "org-1", expiry: new Date("+200000-01-01T00:00:00Z") });`),
    says: "expiry: must not be after 9999-12-31T23:59:59.999Z",
  },
  {
    group: "RegistrationToken",
    what: "expiry of 100,000 characters",
    program: raw(`new v.RegistrationToken("t", { organizationId: "org-1", expiry: ${huge} });`),
    says: `(${HUGE} characters)`,
    never: ["x".repeat(100)],
  },
  {
    group: "RegistrationToken",
    what: "misspelt input",
    program: token({ userQuote: 5 }),
    says: "userQuote: is not an input; did you mean userQuota?",
  },

  // ---- functions ------------------------------------------------------------------------
  {
    group: "getPrices",
    what: "an argument it does not take",
    program: raw(`exports.p = v.getPrices({ currency: "chf" });`),
    says: "getPrices: currency: is not an argument (there are none)",
  },
  {
    group: "getVentusProjects",
    what: "organizationId ..",
    program: raw(`exports.p = v.getVentusProjects({ organizationId: ".." });`),
    says: 'getVentusProjects: organizationId: must not be "." or ".."',
  },
  {
    group: "getVentusProjects",
    what: "unknown argument, awaited in an async function",
    program: raw(`exports.p = (async () => (await v.getVentusProjects({ orgId: "x" })).length)();`),
    says: "getVentusProjects: orgId: is not an argument (arguments: organizationId)",
  },
  {
    group: "getPortalOrganizations",
    what: "unknown filter field",
    program: raw(`exports.o = v.getPortalOrganizations({ filters: [{ field: "colour", op: "eq", value: "x" }] });`),
    says: `getPortalOrganizations: filters[0].field: must be one of ${FILTER_FIELDS.join(", ")}`,
  },
  {
    group: "getPortalOrganizations",
    what: "gete without a range",
    program: raw(`exports.o = v.getPortalOrganizations({ filters: [{ field: "createdOn", op: "gete", value: "5" }] });`),
    says: `getPortalOrganizations: filters[0].value: for a range op (${RANGE_OPS.join(", ")}) must be "low,high"`,
  },
  {
    group: "getPortalOrganizations",
    what: "logic XOR",
    program: raw(`exports.o = v.getPortalOrganizations({ logic: "XOR" });`),
    says: "getPortalOrganizations: logic: must be AND or OR",
  },
  {
    group: "getPortalOrganizations",
    what: "newline in a filter value",
    program: raw(`exports.o = v.getPortalOrganizations({ filters: [{ field: "name", op: "eq", value: "a\\nb" }] });`),
    says: "getPortalOrganizations: filters[0].value: must not contain control characters",
  },
  {
    group: "getPortalApis",
    what: "empty name",
    program: raw(`exports.a = v.getPortalApis({ name: "" });`),
    says: "getPortalApis: name: must not be empty",
  },
  {
    group: "getPortalApis",
    what: "name of 100,000 characters",
    program: raw(`exports.a = v.getPortalApis({ name: ${huge} });`),
    says: `getPortalApis: name: must be at most 255 characters (got ${HUGE})`,
    never: ["x".repeat(100)],
  },
  {
    group: "getPortalApis",
    what: "misspelt argument",
    program: raw(`exports.a = v.getPortalApis({ nmae: "Inventory" });`),
    says: "getPortalApis: nmae: is not an argument; did you mean name?",
  },
  {
    group: "getPortalApis",
    what: "empty name, as an Output to getPortalApisOutput",
    program: raw(`exports.a = v.getPortalApisOutput({ name: Promise.resolve("") });`),
    says: "getPortalApis: name: must not be empty",
  },
  {
    group: "getPortalOrganizations",
    what: "logic XOR, to getPortalOrganizationsOutput",
    program: raw(`exports.o = v.getPortalOrganizationsOutput({ logic: "XOR" });`),
    says: "getPortalOrganizations: logic: must be AND or OR",
  },
  {
    group: "getPortalApis",
    what: "arguments not an object",
    program: raw(`exports.a = v.getPortalApis("Inventory");`),
    says: "getPortalApis: arguments must be an object",
  },

  // ---- settings -------------------------------------------------------------------------
  {
    group: "settings",
    what: "ventus:apiUrl not a URL",
    program: project({}),
    env: { VENTUS_API_URL: "not a url" },
    says: 'ventus:apiUrl (or VENTUS_API_URL): must be a URL such as https://host:port, not "not a url"',
  },
  {
    group: "settings",
    what: "ventus:authUrl with ftp:",
    program: project({}),
    env: { VENTUS_AUTH_URL: "ftp://auth.example.invalid" },
    says: "ventus:authUrl (or VENTUS_AUTH_URL): must be an https:// URL, not ftp://",
  },
  {
    group: "settings",
    what: "ventus:apiUrl plain http off loopback",
    program: project({}),
    env: { VENTUS_API_URL: "http://api.example.invalid" },
    says: 'ventus:apiUrl (or VENTUS_API_URL): uses plain http:// to "api.example.invalid", which is not this machine: credentials would travel unencrypted. Use https://, or set ventus:allowInsecureHttp (or VENTUS_ALLOW_INSECURE_HTTP) to true',
  },
  {
    group: "settings",
    what: "ventus:apiUrl set in stack config, malformed",
    program: project({}),
    config: { "ventus:apiUrl": "https://" },
    says: "ventus:apiUrl (or VENTUS_API_URL): must be a URL",
  },
  {
    group: "settings",
    what: "ventus:allowInsecureHttp not a flag",
    program: project({}),
    env: { VENTUS_ALLOW_INSECURE_HTTP: "maybe" },
    says: 'ventus:allowInsecureHttp (or VENTUS_ALLOW_INSECURE_HTTP): must be true, false, 1 or 0, not "maybe"',
  },
  {
    group: "settings",
    what: "ventus:caCertPath not a PEM certificate",
    program: project({}),
    env: { VENTUS_CA_CERT_PATH: "@notpem" },
    says: /ventus:caCertPath \(or VENTUS_CA_CERT_PATH\): names ".*", which is not a PEM certificate/,
  },
  {
    group: "settings",
    what: "ventus:organizationId .. as the default",
    program: project({}),
    env: { VENTUS_ORGANIZATION_ID: ".." },
    says: 'ventus:organizationId (or VENTUS_ORGANIZATION_ID): must not be "." or ".."',
  },
  {
    group: "settings",
    what: "ventus:organizationId ../x in stack config",
    program: project({}),
    config: { "ventus:organizationId": "../x" },
    says: "ventus:organizationId (or VENTUS_ORGANIZATION_ID): must not contain '/'",
  },
  {
    group: "settings",
    what: "ventus:organizationId blank",
    program: project({}),
    env: { VENTUS_ORGANIZATION_ID: "   " },
    says: "ventus:organizationId (or VENTUS_ORGANIZATION_ID): must not be empty",
  },
  {
    group: "settings",
    what: "ventus:password missing",
    program: project({}),
    env: { VENTUS_PASSWORD: undefined },
    says: "Ventus Cloud credentials are not configured: set ventus:password (or VENTUS_PASSWORD)",
  },
  {
    group: "settings",
    what: "axway:url plain http off loopback",
    program: token({}),
    env: { AXWAY_URL: "http://portal.example.invalid:8075" },
    says: 'axway:url (or AXWAY_URL): uses plain http:// to "portal.example.invalid", which is not this machine: credentials would travel unencrypted. Use https://, or set axway:allowInsecureHttp (or AXWAY_ALLOW_INSECURE_HTTP) to true',
  },
  {
    group: "settings",
    what: "axway:url with credentials in it",
    program: org({}),
    env: { AXWAY_URL: "https://admin:hunter2@portal.example.invalid" },
    says: "axway:url (or AXWAY_URL): must not contain credentials",
    never: ["hunter2"],
  },
  {
    group: "settings",
    what: "axway:url in stack config, ftp:",
    program: org({}),
    config: { "axway:url": "ftp://portal.example.invalid" },
    says: "axway:url (or AXWAY_URL): must be an https:// URL, not ftp://",
  },
  {
    group: "settings",
    what: "axway:caCertPath not a PEM certificate",
    program: org({}),
    env: { AXWAY_CA_CERT_PATH: "@notpem" },
    says: /axway:caCertPath \(or AXWAY_CA_CERT_PATH\): names ".*", which is not a PEM certificate/,
  },
  {
    group: "settings",
    what: "axway:username missing",
    program: org({}),
    env: { AXWAY_USERNAME: undefined },
    says: "Axway API Manager credentials are not configured: set axway:username (or AXWAY_USERNAME)",
  },
  {
    group: "settings",
    what: "getPrices with ventus:password missing",
    program: raw(`exports.p = v.getPrices();`),
    env: { VENTUS_PASSWORD: undefined },
    says: "getPrices: Ventus Cloud credentials are not configured: set ventus:password (or VENTUS_PASSWORD)",
  },
  {
    group: "settings",
    what: "getVentusProjects with ventus:organizationId ..",
    program: raw(`exports.p = v.getVentusProjects();`),
    env: { VENTUS_ORGANIZATION_ID: ".." },
    says: 'getVentusProjects: ventus:organizationId (or VENTUS_ORGANIZATION_ID): must not be "." or ".."',
  },
  {
    group: "settings",
    what: "getVentusProjects with no organization at all",
    program: raw(`exports.p = v.getVentusProjects();`),
    env: { VENTUS_ORGANIZATION_ID: undefined },
    says: "getVentusProjects: organizationId: not given, and neither ventus:organizationId nor VENTUS_ORGANIZATION_ID is set",
  },
  {
    group: "settings",
    what: "getPortalApis with axway:url ftp:",
    program: raw(`exports.a = v.getPortalApis();`),
    env: { AXWAY_URL: "ftp://portal.example.invalid" },
    says: "getPortalApis: axway:url (or AXWAY_URL): must be an https:// URL, not ftp://",
  },
];

/** Replaces "@name" in settings with a file of the stack's folder, made in beforeAll. */
function expandEnv(env: Env): Env {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v?.startsWith("@") ? dir(v.slice(1) + ".pem") : v]));
}

async function preview(env: Env = {}): Promise<RunResult> {
  const merged: Env = { ...baseEnv, ...expandEnv(env) };
  // The harness adds variables, never removes them: an unset one is passed as empty, which
  // the settings treat as absent.
  const extra = Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, v ?? ""]));
  return stack.pulumi(["preview", "--diff"], extra);
}

beforeAll(async () => {
  emu = await emulator();
  baseEnv = {
    VENTUS_USERNAME: VENTUS_USER,
    VENTUS_PASSWORD: VENTUS_PASSWORD,
    VENTUS_ORGANIZATION_ID: VENTUS_ORG,
    VENTUS_AUTH_URL: emu.ventusAuthUrl,
    VENTUS_API_URL: emu.ventusApiUrl,
    AXWAY_URL: emu.axwayUrl,
    AXWAY_USERNAME: "apiadmin",
    AXWAY_PASSWORD: "changeme",
  };
  stack = await TestStack.create("badinput", project({}));
  fs.writeFileSync(dir("big.jpg"), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5 * 1024 * 1024)]));
  fs.writeFileSync(dir("logo.png"), Buffer.from("\x89PNG\r\n\x1a\n", "latin1"));
  fs.writeFileSync(dir("notpem.pem"), "this is not a certificate\n");
});

afterAll(async () => {
  const counts: Record<string, number> = {};
  for (const c of cases) counts[c.group] = (counts[c.group] ?? 0) + 1;
  console.log(`bad-input: ${cases.length} cases in ${((Date.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}`);
  await emu?.stop();
});

test("valid declarations of every resource pass preview with no API call (the baseline the cases change)", async () => {
  stack.writeProgram(
    [
      project({}),
      org({ description: "Road runner supplies", startTrialDate: "2030-01-01" }).split("\n")[1],
      access({}).split("\n")[1],
      token({ userQuota: 5, expiry: "2099-01-01" }).split("\n")[1],
    ].join("\n"),
  );
  emu.resetStats();
  const r = await preview();
  expect(r.output).not.toMatch(/error:/);
  expect(r.code).toBe(0);
  expect(emu.stats().total).toBe(0);
});

test("allowInsecureHttp lets plain http:// to another host through the settings (it is never reached at preview)", async () => {
  stack.writeProgram(project({}));
  emu.resetStats();
  const r = await preview({ VENTUS_API_URL: "http://api.example.invalid", VENTUS_ALLOW_INSECURE_HTTP: "true" });
  expect(r.output).not.toMatch(/error:/);
  expect(r.code).toBe(0);
  expect(emu.stats().total).toBe(0);
});

test.each(cases.map((c) => [`${c.group}: ${c.what}`, c] as const))("%s", async (_name, c) => {
  stack.writeProgram(c.program);
  for (const [k, v] of Object.entries(c.config ?? {})) await stack.pulumiOk(["config", "set", k, v]);
  emu.resetStats();
  let r: RunResult;
  try {
    r = await preview(c.env);
  } finally {
    for (const k of Object.keys(c.config ?? {})) await stack.pulumiOk(["config", "rm", k]);
  }
  const out = r.output;
  expect(r.code).not.toBe(0);
  if (typeof c.says === "string") expect(out).toContain(c.says);
  else expect(out).toMatch(c.says);
  // No stack trace, no source references, nothing but the message.
  expect(out).not.toMatch(/^\s+at /m);
  expect(out).not.toMatch(/\.ts:\d/);
  expect(out).not.toMatch(/unhandled exception|PromiseRejectionHandledWarning|RangeError|TypeError/);
  // Short, and no raw control characters reach the terminal.
  expect(out.length).toBeLessThan(4096);
  expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
  for (const s of c.never ?? []) expect(out).not.toContain(s);
  // Rejected before any API call.
  expect(emu.stats().total).toBe(0);
});
