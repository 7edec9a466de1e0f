// Ventus authentication (auth.ventuscloud.eu): `GET /get-tokens` with JSON credentials issues an
// id token and an access token; API calls carry both (`Authorization` and `Access`, Bearer).
import { randomBytes } from "node:crypto";
import { signJwt, verifyJwt, type JwtPayload } from "../jwt";
import type { EmulatorRequest, EmulatorResponse } from "../types";
import { error, parseJsonObject } from "./request";
import type { StoredUser, VentusStore } from "./store";

function bearer(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(value);
  return m ? m[1] : undefined;
}

export function issueTokens(s: VentusStore, req: EmulatorRequest): EmulatorResponse {
  const creds = parseJsonObject(req.body);
  if (!creds || typeof creds.username !== "string" || typeof creds.password !== "string") {
    return error(400, 'Request body must be JSON: {"username":"...","password":"..."}');
  }
  const user = s.users.find((u) => u.username === creds.username && u.password === creds.password);
  if (!user) return error(401, "Invalid credentials");
  const now = s.now();
  const iat = Math.floor(now / 1000);
  // Rounded up: a token lives at least the configured time, which matters for TTLs of a few seconds.
  const exp = Math.ceil((now + s.behavior().ventusTokenTtlSeconds * 1000) / 1000);
  const base = { sub: user.sub, iat, exp, iss: "ventus-emulator" };
  const jti = () => randomBytes(8).toString("hex");
  const idToken = signJwt(s.secret, { ...base, typ: "id", email: user.username, jti: jti() } as JwtPayload);
  const accessToken = signJwt(s.secret, { ...base, typ: "access", jti: jti() } as JwtPayload);
  return { status: 200, body: { id_token: idToken, access_token: accessToken } };
}

/** The user both tokens belong to, or the 401 to answer. */
export function authenticate(s: VentusStore, req: EmulatorRequest): StoredUser | EmulatorResponse {
  const unauthorized = (message: string) => error(401, message, { "www-authenticate": "Bearer" });
  const idToken = bearer(req.headers.authorization);
  const accessToken = bearer(req.headers.access);
  if (!idToken) return unauthorized("Missing Authorization: Bearer <id_token>");
  if (!accessToken) return unauthorized("Missing Access: Bearer <access_token>");
  const now = s.now();
  const id = verifyJwt(s.secret, idToken, now);
  const access = verifyJwt(s.secret, accessToken, now);
  if (!id.ok) return unauthorized(id.reason === "expired" ? "ID token expired" : "Invalid ID token");
  if (!access.ok) {
    return unauthorized(access.reason === "expired" ? "Access token expired" : "Invalid access token");
  }
  if (id.payload.typ !== "id") return unauthorized("Authorization must carry the ID token");
  if (access.payload.typ !== "access") return unauthorized("Access must carry the access token");
  if (id.payload.sub !== access.payload.sub) return unauthorized("Tokens belong to different users");
  const user = s.users.find((u) => u.sub === id.payload.sub);
  return user ?? unauthorized("Unknown user");
}
