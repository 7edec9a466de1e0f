// Minimal HS256 JSON Web Tokens for the emulator: enough to look like the real thing
// (three base64url parts, a readable payload) and to be checked for tampering and expiry.
import { createHmac, timingSafeEqual } from "node:crypto";

export type JwtPayload = Record<string, unknown> & {
  sub: string;
  /** Seconds since epoch. */
  iat: number;
  /** Seconds since epoch. */
  exp: number;
};

const HEADER = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString("base64url");
}

function sign(secret: Buffer, input: string): Buffer {
  return createHmac("sha256", secret).update(input).digest();
}

export function signJwt(secret: Buffer, payload: JwtPayload): string {
  const input = `${HEADER}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${sign(secret, input).toString("base64url")}`;
}

export type JwtCheck = { ok: true; payload: JwtPayload } | { ok: false; reason: "malformed" | "signature" | "expired" };

/** Verifies the signature and expiry; `nowMs` is milliseconds since epoch. */
export function verifyJwt(secret: Buffer, token: string, nowMs: number): JwtCheck {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    return { ok: false, reason: "malformed" };
  }
  const [header, body, signature] = parts as [string, string, string];
  const expected = sign(secret, `${header}.${body}`);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "signature" };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (
    typeof payload !== "object" ||
    payload === null ||
    typeof (payload as JwtPayload).sub !== "string" ||
    typeof (payload as JwtPayload).exp !== "number" ||
    typeof (payload as JwtPayload).iat !== "number"
  ) {
    return { ok: false, reason: "malformed" };
  }
  const claims = payload as JwtPayload;
  if (nowMs / 1000 >= claims.exp) return { ok: false, reason: "expired" };
  return { ok: true, payload: claims };
}
