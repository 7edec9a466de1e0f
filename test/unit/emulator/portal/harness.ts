// Shared by the portal's tests: the service served alone over real HTTP with an injected clock
// and a count of ctx.changed() calls, callers with Basic credentials, a JPEG maker, and a checker
// of answers against Axway's Swagger definitions.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createPortalService, PORTAL_BASE, stableUuid, type PortalOptions } from "../../../../emulator/portal";
import { basic, call, serveService, type CallOptions, type Reply, type Served } from "../harness";

export interface PortalCallOptions extends CallOptions {
  /** Authorization header; default the caller's. Left out when the headers carry a cookie. */
  auth?: string;
}

export function caller(baseUrl: string, defaultAuth?: string) {
  return (method: string, path: string, options: PortalCallOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...options.headers };
    const auth = options.auth ?? defaultAuth;
    if (auth && !("cookie" in headers)) headers.authorization = auth;
    return call({ url: baseUrl }, method, path, { headers, body: options.body });
  };
}

// ---- Swagger checker ------------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = Record<string, any>;

// Axway API Manager v1.3 Swagger as Axway ships it (apigateway/samples/swagger/; public copy in
// cbrowet-axway/APIM_sdk, April 2020), kept with the tests so that a clone alone runs them.
const SWAGGER_PATH = path.resolve(__dirname, "../../../data/api-manager-V_1_3-swagger.json");

let swagger: { definitions: Record<string, Schema> } | undefined;
function swaggerDefinitions(): Record<string, Schema> {
  swagger ??= JSON.parse(readFileSync(SWAGGER_PATH, "utf8")) as { definitions: Record<string, Schema> };
  return swagger.definitions;
}

/**
 * Problems of `value` against Swagger definition `name`: wrong types (int32/int64 included),
 * missing required properties, properties outside the definition unless listed in `extras`
 * (e.g. `skypeId`, which the seed shows for Organization). `null` is accepted for any
 * property: Swagger 2.0 cannot say "nullable", and the seed's own example has `"dn": null`.
 */
export function swaggerProblems(name: string, value: unknown, extras: readonly string[] = []): string[] {
  const defs = swaggerDefinitions();
  const problems: string[] = [];
  const check = (schema: Schema, v: unknown, where: string, allowed: readonly string[]): void => {
    if (schema.$ref) {
      const ref = String(schema.$ref).replace("#/definitions/", "");
      const target = defs[ref];
      if (!target) return void problems.push(`${where}: unknown $ref ${schema.$ref}`);
      return check(target, v, where, []);
    }
    if (v === null) return;
    const type = schema.type ?? (schema.properties || schema.additionalProperties ? "object" : undefined);
    switch (type) {
      case "object": {
        if (typeof v !== "object" || Array.isArray(v)) return void problems.push(`${where}: expected object`);
        const obj = v as Record<string, unknown>;
        for (const req of (schema.required as string[] | undefined) ?? []) {
          if (!(req in obj)) problems.push(`${where}.${req}: required property missing`);
        }
        for (const [key, val] of Object.entries(obj)) {
          const prop = schema.properties?.[key];
          if (prop) check(prop, val, `${where}.${key}`, []);
          else if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
            check(schema.additionalProperties, val, `${where}.${key}`, []);
          } else if (!allowed.includes(key)) problems.push(`${where}.${key}: not in the definition`);
        }
        return;
      }
      case "array":
        if (!Array.isArray(v)) return void problems.push(`${where}: expected array`);
        v.forEach((item, i) => check(schema.items ?? {}, item, `${where}[${i}]`, []));
        return;
      case "string":
        if (typeof v !== "string") problems.push(`${where}: expected string, got ${typeof v}`);
        return;
      case "boolean":
        if (typeof v !== "boolean") problems.push(`${where}: expected boolean, got ${typeof v}`);
        return;
      case "number":
        if (typeof v !== "number") problems.push(`${where}: expected number, got ${typeof v}`);
        return;
      case "integer": {
        if (typeof v !== "number" || !Number.isInteger(v)) return void problems.push(`${where}: expected integer`);
        if (schema.format === "int32" && (v < -(2 ** 31) || v >= 2 ** 31)) problems.push(`${where}: outside int32`);
        if (schema.format === "int64" && !Number.isSafeInteger(v)) problems.push(`${where}: outside int64 (safe)`);
        return;
      }
      default:
        return;
    }
  };
  const root = defs[name];
  if (!root) return [`no definition ${name}`];
  check(root, value, name, extras);
  return problems;
}

/** A small valid-looking JPEG (SOI, APP0 JFIF, filler, EOI). */
export function jpeg(size = 64, fill = 0x42): Buffer {
  const body = Buffer.alloc(Math.max(size, 8), fill);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(body, 0);
  body[body.length - 2] = 0xff;
  body[body.length - 1] = 0xd9;
  return body;
}

export const ADMIN = basic("apiadmin", "changeme");
export const ORGADMIN = basic("orgadmin", "orgadmin-password");
export const P = PORTAL_BASE;
export const NOT_FOUND = { errors: [{ code: 102, message: "The entity could not be found.  Please refresh your session." }] };
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface Harness {
  service: ReturnType<typeof createPortalService>;
  served: Served;
  call: ReturnType<typeof caller>;
  clock: { t: number };
  changes: { n: number };
}

const open: Served[] = [];

/** For afterEach: closes the services harness() served. */
export async function closeServed(): Promise<void> {
  await Promise.all(open.splice(0).map((s) => s.close()));
}

export async function harness(options?: PortalOptions, start = 1_700_000_000_000): Promise<Harness> {
  const clock = { t: start };
  const changes = { n: 0 };
  const service = createPortalService({ now: () => clock.t, changed: () => void changes.n++ }, options);
  const served = await serveService(service);
  open.push(served);
  return { service, served, call: caller(served.url, ADMIN), clock, changes };
}

export async function createOrg(h: Harness, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await h.call("POST", `${P}/organizations`, { body });
  expect(r.status).toBe(201);
  return r.json as Record<string, unknown>;
}

export function seededOrgId(): string {
  return stableUuid("organization", "Seeded Partner");
}
