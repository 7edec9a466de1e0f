// Reading the portal's requests: JSON bodies and their typed fields, path parameters, and the
// PortalError every handler throws to answer `{"errors":[{"code","message"}]}`.
import type { EmulatorRequest, EmulatorResponse } from "../types";
import type { Auth, OrganizationRecord, PortalStore } from "./store";

/** Thrown inside handlers; becomes `{"errors":[{"code","message"}]}` with `status`. */
export class PortalError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: number = status,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const NOT_FOUND_CODE = 102;
export const NOT_FOUND_MESSAGE = "The entity could not be found.  Please refresh your session.";

/** What the product answers for any entity it cannot find by id. */
export function notFound(): PortalError {
  return new PortalError(404, NOT_FOUND_MESSAGE, NOT_FOUND_CODE);
}

export function errorResponse(status: number, message: string, code = status, headers?: Record<string, string>): EmulatorResponse {
  return { status, headers: { ...headers }, body: { errors: [{ code, message }] } };
}

/** One routed request: what a handler gets. */
export interface PortalCall {
  req: EmulatorRequest;
  /** Raw (still percent-encoded) path parameters. */
  params: Record<string, string>;
  auth: Auth;
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The JSON body, undefined when empty; 413 beyond `maxBytes`, 400 when it does not parse. */
export function readJson(req: EmulatorRequest, maxBytes: number): unknown {
  if (req.body.length > maxBytes) throw new PortalError(413, "Request Entity Too Large");
  const text = req.body.toString("utf8").trim();
  if (text === "") return undefined;
  return parseJson(text);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PortalError(400, "The request body is not valid JSON");
  }
}

/** A JSON object body, or 400 naming the Swagger definition it should have been. */
export function readObject(req: EmulatorRequest, maxBytes: number, definition: string): Json {
  const body = readJson(req, maxBytes);
  if (!isObject(body)) throw new PortalError(400, `The request body must be a JSON ${definition} object`);
  return body;
}

export function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new PortalError(400, `Malformed path segment '${value}'`);
  }
}

export function optString(body: Json, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new PortalError(400, `'${key}' must be a string`);
  return v;
}

export function optBoolean(body: Json, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw new PortalError(400, `'${key}' must be a boolean`);
  return v;
}

/** An integer, also from a numeric string (the seed sends `"userQuota": "15"`). */
export function optInteger(body: Json, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  let n: number;
  if (typeof v === "number") n = v;
  else if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) n = Number(v);
  else throw new PortalError(400, `'${key}' must be an integer`);
  if (!Number.isSafeInteger(n)) throw new PortalError(400, `'${key}' must be an integer`);
  return n;
}

/** The organization a path names (raw, percent-encoded id), or a 404. */
export function findOrganization(s: PortalStore, rawId: string): OrganizationRecord {
  const org = s.organizations.get(decodeParam(rawId));
  if (!org) throw notFound();
  return org;
}
