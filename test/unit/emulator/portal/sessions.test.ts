// Authentication and sessions (auth.ts, sessions.ts): Basic, form login, cookie, CSRF, logout.
import { stableUuid } from "../../../../emulator/portal";
import { basic } from "../harness";
import { harness, ORGADMIN, P, seededOrgId, closeServed } from "./harness";

afterEach(closeServed);

describe("portal emulator: authentication", () => {
  test("no credentials or bad ones → 401 with WWW-Authenticate", async () => {
    const h = await harness();
    for (const auth of ["", basic("apiadmin", "wrong"), basic("nobody", "x"), "Basic !!!"]) {
      const r = await h.call("GET", `${P}/organizations`, { auth, headers: auth ? {} : { cookie: "x=y" } });
      expect(r.status).toBe(401);
      expect(r.headers.get("www-authenticate")).toBe('Basic realm="API Manager"');
      expect(r.json.errors[0].code).toBe(401);
    }
    const bogusSession = await h.call("GET", `${P}/currentuser`, { headers: { cookie: "APIMANAGERSESSION=forged" } });
    expect(bogusSession.status).toBe(401);
  });

  test("Basic auth: GET /currentuser answers the Swagger User", async () => {
    const h = await harness();
    const r = await h.call("GET", `${P}/currentuser`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ loginName: "apiadmin", role: "admin", enabled: true, id: stableUuid("user", "apiadmin") });
    expect(r.json.password).toBeUndefined();
    expect(r.headers.get("csrf-token")).toBeNull();
    const o = await h.call("GET", `${P}/currentuser`, { auth: ORGADMIN });
    expect(o.json).toMatchObject({ loginName: "orgadmin", role: "oadmin", organizationId: seededOrgId() });
  });

  test("session flow: login → cookie → currentuser CSRF-Token → CSRF required on writes → logout", async () => {
    const h = await harness();
    const form = new URLSearchParams({ username: "apiadmin", password: "changeme" });
    const login = await h.call("POST", `${P}/login`, { auth: "", body: form });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/home");
    const setCookie = login.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^APIMANAGERSESSION=[^;]+; Path=\/; HttpOnly$/);
    const cookie = setCookie[0].split(";")[0];

    const me = await h.call("GET", `${P}/currentuser`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.json.loginName).toBe("apiadmin");
    const csrf = me.headers.get("csrf-token");
    expect(csrf).toMatch(/^[0-9a-f]{48}$/);

    // GETs need no CSRF token.
    expect((await h.call("GET", `${P}/organizations`, { headers: { cookie } })).status).toBe(200);
    // Writes without it, or with a wrong one, are refused and change nothing.
    const noCsrf = await h.call("POST", `${P}/organizations`, { headers: { cookie }, body: { name: "Via Session" } });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.json.errors[0]).toEqual({ code: 403, message: "Missing or invalid CSRF-Token header" });
    const badCsrf = await h.call("POST", `${P}/organizations`, {
      headers: { cookie, "CSRF-Token": "0".repeat(48) },
      body: { name: "Via Session" },
    });
    expect(badCsrf.status).toBe(403);
    expect(h.changes.n).toBe(0);
    const ok = await h.call("POST", `${P}/organizations`, { headers: { cookie, "CSRF-Token": csrf! }, body: { name: "Via Session" } });
    expect(ok.status).toBe(201);
    expect(ok.json.name).toBe("Via Session");

    expect((await h.call("DELETE", `${P}/login`, { headers: { cookie } })).status).toBe(403);
    const logout = await h.call("DELETE", `${P}/login`, { headers: { cookie, "CSRF-Token": csrf! } });
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie()[0]).toMatch(/^APIMANAGERSESSION=; .*Max-Age=0/);
    const after = await h.call("GET", `${P}/currentuser`, { headers: { cookie } });
    expect(after.status).toBe(401);
  });

  test("login: bad credentials → 401 JSON, or a 303 to `failure`; `success` sets Location; multipart accepted", async () => {
    const h = await harness();
    const bad = await h.call("POST", `${P}/login`, { auth: "", body: new URLSearchParams({ username: "apiadmin", password: "nope" }) });
    expect(bad.status).toBe(401);
    expect(bad.json.errors[0].code).toBe(401);
    expect(bad.headers.getSetCookie()).toEqual([]);
    const redirected = await h.call("POST", `${P}/login`, {
      auth: "",
      body: new URLSearchParams({ username: "x", password: "y", failure: "/login-failed" }),
    });
    expect(redirected.status).toBe(303);
    expect(redirected.headers.get("location")).toBe("/login-failed");
    const fd = new FormData();
    fd.set("username", "orgadmin");
    fd.set("password", "orgadmin-password");
    fd.set("success", "/portal");
    const multi = await h.call("POST", `${P}/login`, { auth: "", body: fd });
    expect(multi.status).toBe(303);
    expect(multi.headers.get("location")).toBe("/portal");
    const cookie = multi.headers.getSetCookie()[0].split(";")[0];
    const me = await h.call("GET", `${P}/currentuser`, { headers: { cookie } });
    expect(me.json.role).toBe("oadmin");
  });

  test("custom users from options", async () => {
    const h = await harness({
      admin: { loginName: "root", password: "pw" },
      orgAdmin: { loginName: "oa", password: "oapw" },
      seededOrganization: "Acme",
    });
    expect((await h.call("GET", `${P}/currentuser`)).status).toBe(401);
    expect((await h.call("GET", `${P}/currentuser`, { auth: basic("root", "pw") })).json.role).toBe("admin");
    const list = await h.call("GET", `${P}/organizations`, { auth: basic("oa", "oapw") });
    expect(list.json.map((o: { name: string }) => o.name)).toEqual(["Acme"]);
  });
});
