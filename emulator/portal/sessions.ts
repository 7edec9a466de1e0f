// Sessions (`/login`, `/currentuser`): a form login sets the session cookie (named by
// Behavior.sessionCookie) and redirects; the current user's answer carries the CSRF token that
// the session's writes must send back; DELETE /login logs out.
import { randomBytes } from "node:crypto";
import { DEFAULT_BEHAVIOR } from "../behavior";
import type { EmulatorRequest, EmulatorResponse } from "../types";
import { CSRF_HEADER, findUserByLogin, UNAUTHORIZED_HEADERS } from "./auth";
import { mediaType, parseMultipart, parseUrlEncoded } from "./forms";
import { errorResponse, isObject, readJson, type PortalCall } from "./request";
import type { PortalStore, UserRecord } from "./store";

/** The session cookie's default name (Behavior.sessionCookie). */
export const SESSION_COOKIE = DEFAULT_BEHAVIOR.sessionCookie;

/** Swagger `User`; never the password. */
export function userJson(user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    ...(user.organizationId !== undefined ? { organizationId: user.organizationId } : {}),
    name: user.name,
    loginName: user.loginName,
    email: user.email,
    role: user.role,
    enabled: user.enabled,
    createdOn: user.createdOn,
    state: "approved",
    type: "internal",
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The login form's fields, sent url-encoded (as the portal's page does), multipart or JSON. */
function loginForm(s: PortalStore, req: EmulatorRequest): URLSearchParams {
  const type = mediaType(req.headers["content-type"]);
  if (type === "multipart/form-data") {
    const form = new URLSearchParams();
    for (const part of parseMultipart(req.body, String(req.headers["content-type"]))) {
      if (part.filename === undefined) form.append(part.name, part.data.toString("utf8"));
    }
    return form;
  }
  if (type === "application/json") {
    const body = readJson(req, s.limits.maxJsonBytes);
    const form = new URLSearchParams();
    if (isObject(body)) for (const [k, v] of Object.entries(body)) if (typeof v === "string") form.set(k, v);
    return form;
  }
  return parseUrlEncoded(req.body);
}

/** Answered before authentication: it is how a session starts. */
export function login(s: PortalStore, req: EmulatorRequest): EmulatorResponse {
  const form = loginForm(s, req);
  const user = findUserByLogin(s, form.get("username") ?? "", form.get("password") ?? "");
  if (!user) {
    const failure = form.get("failure");
    if (failure) return { status: 303, headers: { Location: failure } };
    return errorResponse(401, "Invalid username or password", 401, UNAUTHORIZED_HEADERS);
  }
  const sessionId = randomBytes(24).toString("base64url");
  s.sessions.set(sessionId, { userId: user.id, csrf: randomBytes(24).toString("hex") });
  const location = form.get("success") || "/home";
  const headers: Record<string, string> = {
    Location: location,
    "Set-Cookie": `${s.behavior().sessionCookie}=${sessionId}; Path=/; HttpOnly`,
  };
  if (!s.behavior().nonJsonBodies) return { status: 303, headers };
  // What servlet containers put in a redirect's body.
  const html = `<html><head><title>303 See Other</title></head><body><h1>See Other</h1><p>The document has moved <a href="${escapeHtml(location)}">here</a>.</p></body></html>`;
  return { status: 303, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" }, body: html };
}

export function logout(s: PortalStore, { auth }: PortalCall): EmulatorResponse {
  if (auth.sessionId !== undefined) s.sessions.delete(auth.sessionId);
  return { status: 204, headers: { "Set-Cookie": `${s.behavior().sessionCookie}=; Path=/; HttpOnly; Max-Age=0` } };
}

export function currentUser(_s: PortalStore, { auth }: PortalCall): EmulatorResponse {
  return {
    status: 200,
    headers: auth.session ? { [CSRF_HEADER]: auth.session.csrf } : {},
    body: userJson(auth.user),
  };
}
