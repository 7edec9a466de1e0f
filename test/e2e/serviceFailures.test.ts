// Service failures through the real CLI, for both faces (a TypeScript SDK program, and Pulumi
// YAML through the provider plugin): every case is a `pulumi preview` or `up` that meets a
// failing service (wrong credentials, 403, 404, a refused connection, TLS that fails, 5xx after
// retries) and must end with one line naming the function or the resource and its operation,
// the service's answer and, where a setting can cause it, the settings to check, spelled as that
// face spells them; no stack trace, no dump of an error object, no PromiseRejectionHandledWarning.
// Settings come from the environment (the stacks have no configuration), so a case changes the
// environment only. Every address is on loopback. A DNS failure is not among the cases: no name
// fails to resolve without asking a resolver off this machine; its line is unit-tested
// (test/unit/provider/failures.test.ts).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { createServer as createHttpsServer, type Server } from "node:https";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { Fault, RunningEmulator } from "../../emulator";
import { USERLAND } from "./paths";
import { TestStack, VENTUS_ORG, VENTUS_PASSWORD, VENTUS_USER, emulator, type RunResult } from "./harness";

type Env = Record<string, string | undefined>;
type Face = "sdk" | "plugin";

interface Case {
  face: Face;
  what: string;
  /** The SDK face: the program (index.js). The plugin face: what follows `resources:`/`variables:` in Pulumi.yaml. */
  program: string;
  /** `preview` for functions (they run in the program), `up` for resource operations. */
  command: "preview" | "up";
  env?: (ports: Ports) => Env;
  /** What the one line says. */
  says: RegExp;
  /** A fault in force for this case. */
  fault?: Fault;
}

interface Ports {
  /** A loopback port nobody listens on. */
  refused: number;
  /** An https server on loopback with a self-signed certificate (undefined without openssl). */
  selfSigned?: number;
}

const WRONG = "not-the-password";
const V = `const v = require("pulumi-ventus-axway");`;
const AXWAY_CHECK = "check axway:username \\(or AXWAY_USERNAME\\) and axway:password \\(or AXWAY_PASSWORD\\)";
const VENTUS_CHECK = "check ventus:username \\(or VENTUS_USERNAME\\) and ventus:password \\(or VENTUS_PASSWORD\\)";
const PLUGIN_AXWAY_CHECK =
  "check ventus-axway:axwayUsername \\(or AXWAY_USERNAME\\) and ventus-axway:axwayPassword \\(or AXWAY_PASSWORD\\)";
const PLUGIN_VENTUS_CHECK =
  "check ventus-axway:ventusUsername \\(or VENTUS_USERNAME\\) and ventus-axway:ventusPassword \\(or VENTUS_PASSWORD\\)";
const re = (s: string) => new RegExp(s);

/** A YAML program: a function's result exported, through the plugin. */
const invoke = (fn: string, args: Record<string, unknown> = {}) =>
  `variables:\n  result:\n    fn::invoke:\n      function: ventus-axway:index:${fn}\n      arguments: ${JSON.stringify(args)}\noutputs:\n  result: \${result}\n`;
const yamlResource = (type: string, properties: Record<string, unknown>) =>
  `resources:\n  r:\n    type: ventus-axway:index:${type}\n    properties: ${JSON.stringify(properties)}\n`;

const cases: Case[] = [
  // ---- the TypeScript SDK ---------------------------------------------------------------
  {
    face: "sdk",
    what: "getPortalApis with a wrong axway:password (401)",
    program: `${V}\nexports.apis = v.getPortalApis();`,
    command: "preview",
    env: () => ({ AXWAY_PASSWORD: WRONG }),
    says: re(`getPortalApis: axway: GET /proxies failed with HTTP 401: Invalid username or password; ${AXWAY_CHECK}`),
  },
  {
    face: "sdk",
    what: "getPortalApisOutput with a wrong axway:password (401)",
    program: `${V}\nexports.apis = v.getPortalApisOutput({ name: "Petstore" });`,
    command: "preview",
    env: () => ({ AXWAY_PASSWORD: WRONG }),
    says: re(`getPortalApis: axway: GET /proxies\\S* failed with HTTP 401: Invalid username or password; ${AXWAY_CHECK}`),
  },
  {
    face: "sdk",
    what: "getPortalOrganizations with a wrong axway:password and a session login (401 at POST /login)",
    program: `${V}\nexports.orgs = v.getPortalOrganizations();`,
    command: "preview",
    env: () => ({ AXWAY_PASSWORD: WRONG, AXWAY_SESSION_LOGIN: "true" }),
    says: re(`getPortalOrganizations: axway: POST /login failed with HTTP 401: Invalid username or password; ${AXWAY_CHECK}`),
  },
  {
    face: "sdk",
    what: "getVentusProjects with a wrong ventus:password (401)",
    program: `${V}\nexports.projects = v.getVentusProjects();`,
    command: "preview",
    env: () => ({ VENTUS_PASSWORD: WRONG }),
    says: re(`getVentusProjects: ventus: GET /get-tokens failed with HTTP 401: Invalid credentials; ${VENTUS_CHECK}`),
  },
  {
    face: "sdk",
    what: "getVentusProjectsOutput of an organization the user is not in (403)",
    program: `${V}\nexports.projects = v.getVentusProjectsOutput({ organizationId: "someone-elses-org" });`,
    command: "preview",
    says: re(
      "getVentusProjects: ventus: GET \\S+ failed with HTTP 403: Access to this organization is forbidden; check the organization \\(organizationId, else ventus:organizationId",
    ),
  },
  {
    face: "sdk",
    what: "getPortalOrganizations from a URL without the portal (404)",
    program: `${V}\nexports.orgs = v.getPortalOrganizations();`,
    command: "preview",
    env: () => ({ AXWAY_URL: `${emuUrl()}/elsewhere` }),
    says: re("getPortalOrganizations: axway: GET /organizations failed with HTTP 404"),
  },
  {
    face: "sdk",
    what: "getPrices from a port nobody listens on (connection refused, after retries)",
    program: `${V}\nexports.prices = v.getPrices();`,
    command: "preview",
    env: (p) => ({ VENTUS_AUTH_URL: `http://127.0.0.1:${p.refused}` }),
    says: re(
      "getPrices: ventus: GET /get-tokens failed without a response \\(ECONNREFUSED\\).* after 7 attempts; check ventus:authUrl \\(or VENTUS_AUTH_URL\\)",
    ),
  },
  {
    face: "sdk",
    what: "getPortalApis over https:// to a port that serves plain http (TLS)",
    program: `${V}\nexports.apis = v.getPortalApis();`,
    command: "preview",
    env: () => ({ AXWAY_URL: emuUrl().replace("http://", "https://") }),
    says: re(
      "getPortalApis: axway: GET /proxies failed without a response \\(\\w+\\).*; check axway:url \\(or AXWAY_URL\\) \\(https:// to a port that serves https\\)",
    ),
  },
  {
    face: "sdk",
    what: "getPortalApis from a server whose certificate is self-signed (TLS)",
    program: `${V}\nexports.apis = v.getPortalApis();`,
    command: "preview",
    env: (p) => ({ AXWAY_URL: `https://127.0.0.1:${p.selfSigned}` }),
    says: re(
      "getPortalApis: axway: GET /proxies failed without a response \\(DEPTH_ZERO_SELF_SIGNED_CERT\\): self-signed certificate; check axway:url .* and axway:caCertPath \\(or AXWAY_CA_CERT_PATH\\) or axway:insecureSkipVerify",
    ),
  },
  {
    face: "sdk",
    what: "getPrices answered 503 every time (5xx after retries)",
    program: `${V}\nexports.prices = v.getPrices();`,
    command: "preview",
    fault: { route: "^GET /v1.0/invoke/\\S*prices", status: 503, retryAfter: 0, count: 100 },
    says: re("getPrices: ventus: GET \\S+ failed with HTTP 503.* after 7 attempts"),
  },
  {
    face: "sdk",
    what: "PortalOrganization create with a wrong axway:password (401)",
    program: `${V}\nnew v.PortalOrganization("o", { name: "Failing Org" });`,
    command: "up",
    env: () => ({ AXWAY_PASSWORD: WRONG }),
    says: re(
      `PortalOrganization create: axway: \\w+ /(organizations|config/customproperties)\\S* failed with HTTP 401: Invalid username or password; ${AXWAY_CHECK}`,
    ),
  },
  {
    face: "sdk",
    what: "VentusProject create from a port nobody listens on (connection refused, after retries)",
    program: `${V}\nnew v.VentusProject("p", { region: "vienna", name: "failing" });`,
    command: "up",
    env: (p) => ({ VENTUS_API_URL: `http://127.0.0.1:${p.refused}` }),
    says: re(
      "VentusProject create: ventus: \\w+ \\S+ failed without a response \\(ECONNREFUSED\\).* after 7 attempts; check ventus:apiUrl \\(or VENTUS_API_URL\\)",
    ),
  },

  // ---- the provider plugin (Pulumi YAML) ------------------------------------------------
  {
    face: "plugin",
    what: "getPortalApis with a wrong password (401)",
    program: invoke("getPortalApis"),
    command: "preview",
    env: () => ({ AXWAY_PASSWORD: WRONG }),
    says: re(`getPortalApis: axway: GET /proxies failed with HTTP 401: Invalid username or password; ${PLUGIN_AXWAY_CHECK}`),
  },
  {
    face: "plugin",
    what: "getVentusProjects with a wrong password (401)",
    program: invoke("getVentusProjects"),
    command: "preview",
    env: () => ({ VENTUS_PASSWORD: WRONG }),
    says: re(`getVentusProjects: ventus: GET /get-tokens failed with HTTP 401: Invalid credentials; ${PLUGIN_VENTUS_CHECK}`),
  },
  {
    face: "plugin",
    what: "getPortalOrganizations over https:// to a port that serves plain http (TLS)",
    program: invoke("getPortalOrganizations"),
    command: "preview",
    env: () => ({ AXWAY_URL: emuUrl().replace("http://", "https://") }),
    says: re(
      "getPortalOrganizations: axway: GET \\S+ failed without a response \\(\\w+\\).*; check ventus-axway:axwayUrl \\(or AXWAY_URL\\)",
    ),
  },
  {
    face: "plugin",
    what: "getPrices answered 503 every time (5xx after retries)",
    program: invoke("getPrices"),
    command: "preview",
    fault: { route: "^GET /v1.0/invoke/\\S*prices", status: 503, retryAfter: 0, count: 100 },
    says: re("getPrices: ventus: GET \\S+ failed with HTTP 503.* after 7 attempts"),
  },
  {
    face: "plugin",
    what: "PortalOrganization create with a wrong password (401)",
    program: yamlResource("PortalOrganization", { name: "Failing Org" }),
    command: "up",
    env: () => ({ AXWAY_PASSWORD: WRONG }),
    says: re(
      `PortalOrganization create: axway: \\w+ /(organizations|config/customproperties)\\S* failed with HTTP 401: Invalid username or password; ${PLUGIN_AXWAY_CHECK}`,
    ),
  },
  {
    face: "plugin",
    what: "VentusProject create from a port nobody listens on (connection refused, after retries)",
    program: yamlResource("VentusProject", { region: "vienna", name: "failing" }),
    command: "up",
    env: (p) => ({ VENTUS_API_URL: `http://127.0.0.1:${p.refused}` }),
    says: re(
      "VentusProject create: ventus: \\w+ \\S+ failed without a response \\(ECONNREFUSED\\).* after 7 attempts; check ventus-axway:ventusApiUrl \\(or VENTUS_API_URL\\)",
    ),
  },
];

let emu: RunningEmulator;
let stacks: Record<Face, TestStack>;
let baseEnv: Env;
let ports: Ports;
let tlsServer: Server | undefined;
const started = Date.now();
const emuUrl = () => emu.axwayUrl.replace(/\/+$/, "");

const YAML_HEAD = [
  "name: service-failures-plugin",
  "runtime: yaml",
  "plugins:",
  "  providers:",
  "    - name: ventus-axway",
  "      path: node_modules/pulumi-ventus-axway",
  "",
].join("\n");

function writeProgram(face: Face, program: string): void {
  if (face === "sdk") stacks.sdk.writeProgram(program);
  else fs.writeFileSync(path.join(stacks.plugin.dir, "Pulumi.yaml"), YAML_HEAD + program);
}

async function run(face: Face, command: "preview" | "up" | "refresh" | "destroy", env: Env = {}): Promise<RunResult> {
  // The harness adds variables, never removes them: an unset one is passed as empty, which the settings treat as absent.
  const extra = Object.fromEntries(Object.entries({ ...baseEnv, ...env }).map(([k, v]) => [k, v ?? ""]));
  const args = command === "preview" ? ["preview"] : [command, "--yes", "--skip-preview"];
  return stacks[face].pulumi(args, extra);
}

/** What every failure's output must be: the line, and nothing a person cannot use. */
function expectOneLine(r: RunResult, says: RegExp): void {
  const out = r.output;
  expect(r.code).not.toBe(0);
  expect(out).toMatch(says);
  expect(out).not.toMatch(/^\s+at /m); // no stack trace
  expect(out).not.toMatch(/\.(ts|js):\d/); // no source references
  expect(out).not.toMatch(/unhandled exception|PromiseRejectionHandledWarning|\[cause\]|\bservice: '|outcomeUnknown|Error \{/);
  expect(out).not.toContain(WRONG);
  // The line is said once: the engine's diagnostics hold it once, and the progress rows
  // (`creating failed error: …`) show it only as that error, never an echo of another layer.
  const operation = /^[\w ]+:/.exec(says.source)![0];
  const lines = out.split("\n").filter((l) => says.test(l));
  expect(lines.filter((l) => /^\s+error: /.test(l))).toHaveLength(1);
  for (const l of lines) expect(l).toContain(`error: ${operation}`);
  // Short, but for the retry notices, which say what is being tried meanwhile (by design).
  expect(
    out
      .split("\n")
      .filter((l) => !/: retrying |still running after/.test(l))
      .join("\n").length,
  ).toBeLessThan(4096);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** An https server on loopback with a self-signed certificate made by the openssl CLI; undefined without openssl. */
async function selfSignedServer(): Promise<Server | undefined> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pva-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ].concat(["-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")]),
      { stdio: "ignore" },
    );
    const server = createHttpsServer(
      { key: fs.readFileSync(path.join(dir, "key.pem")), cert: fs.readFileSync(path.join(dir, "cert.pem")) },
      (_req, res) => res.end("[]"),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return server;
  } catch {
    return undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
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
  tlsServer = await selfSignedServer();
  ports = { refused: await freePort(), selfSigned: tlsServer ? (tlsServer.address() as net.AddressInfo).port : undefined };
  const sdk = await TestStack.create("service-failures", `${V}\n`);
  const plugin = await TestStack.create("service-failures-plugin", "");
  fs.rmSync(path.join(plugin.dir, "index.js"));
  fs.rmSync(path.join(plugin.dir, "package.json"));
  fs.symlinkSync(path.join(USERLAND, "node_modules"), path.join(plugin.dir, "node_modules"));
  stacks = { sdk, plugin };
  writeProgram("plugin", "");
});

afterAll(async () => {
  const counts = { sdk: cases.filter((c) => c.face === "sdk").length, plugin: cases.filter((c) => c.face === "plugin").length };
  console.log(`service failures: ${cases.length} cases in ${((Date.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}`);
  tlsServer?.close();
  await emu?.stop();
});

test.each(cases.map((c) => [`${c.face}: ${c.what}`, c] as const))("%s", async (_name, c) => {
  if (c.env && /self-signed/.test(c.what) && ports.selfSigned === undefined) {
    console.warn("openssl not found: self-signed TLS case skipped");
    return;
  }
  writeProgram(c.face, c.program);
  emu.clearFaults();
  if (c.fault) emu.injectFault(c.fault);
  try {
    expectOneLine(await run(c.face, c.command, c.env?.(ports)), c.says);
  } finally {
    emu.clearFaults();
  }
});

describe.each(["sdk", "plugin"] as const)("%s: refresh and destroy meet a wrong password", (face) => {
  test("read and delete end with one line each, and the right password destroys", async () => {
    const check = face === "sdk" ? VENTUS_CHECK : PLUGIN_VENTUS_CHECK;
    writeProgram(
      face,
      face === "sdk"
        ? `${V}\nnew v.VentusProject("p", { region: "vienna", name: "kept" });`
        : yamlResource("VentusProject", { region: "vienna", name: "kept" }),
    );
    const up = await run(face, "up");
    expect(up.code).toBe(0);
    expectOneLine(
      await run(face, "refresh", { VENTUS_PASSWORD: WRONG }),
      re(`VentusProject read: ventus: GET /get-tokens failed with HTTP 401: Invalid credentials; ${check}`),
    );
    expectOneLine(
      await run(face, "destroy", { VENTUS_PASSWORD: WRONG }),
      re(`VentusProject delete: ventus: GET /get-tokens failed with HTTP 401: Invalid credentials; ${check}`),
    );
    expect((await run(face, "destroy")).code).toBe(0);
  });
});
