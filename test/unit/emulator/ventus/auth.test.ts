// Authentication (auth.ts): issuing tokens at `GET /get-tokens`, and checking both of them on API calls.
import { startEmulator } from "../../../../emulator";
import { call } from "../harness";
import { auth, identity, listPath, login, ORG, USER, useVentus } from "./harness";

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));
}

describe("Ventus emulator: authentication", () => {
  const v = useVentus();

  describe("tokens", () => {
    it("issues JWT-shaped id and access tokens for the default user", async () => {
      expect(v.tokens.id_token.split(".")).toHaveLength(3);
      expect(v.tokens.access_token.split(".")).toHaveLength(3);
      const id = payloadOf(v.tokens.id_token);
      const access = payloadOf(v.tokens.access_token);
      expect(id).toMatchObject({ typ: "id", email: USER.username, iat: v.clock / 1000, exp: v.clock / 1000 + 3600 });
      expect(access).toMatchObject({ typ: "access", sub: id.sub, exp: v.clock / 1000 + 3600 });
      expect(access.email).toBeUndefined();
    });

    it("answers 401 with the errors shape on a wrong password, 400 on a bad body", async () => {
      const wrong = await call(v.emu, "GET", "/get-tokens", { body: { ...USER, password: "nope" } });
      expect(wrong.status).toBe(401);
      expect(wrong.json).toEqual({ errors: [{ code: 401, message: "Invalid credentials" }] });
      expect((await call(v.emu, "GET", "/get-tokens", { body: { username: "x@y.z", password: "" } })).status).toBe(401);
      expect((await call(v.emu, "GET", "/get-tokens")).status).toBe(400);
      expect((await call(v.emu, "GET", "/get-tokens", { body: "not json" })).status).toBe(400);
      expect((await call(v.emu, "GET", "/get-tokens", { body: { username: USER.username } })).status).toBe(400);
    });

    it("accepts configured users only", async () => {
      await v.emu.stop();
      v.emu = await startEmulator({ ventusUsers: [{ username: "a@b.c", password: "pw", organizations: ["org-a"] }] });
      expect((await call(v.emu, "GET", "/get-tokens", { body: USER })).status).toBe(401);
      const t = await login(v.emu, { username: "a@b.c", password: "pw" });
      expect(payloadOf(t.id_token).email).toBe("a@b.c");
      expect((await call(v.emu, "GET", listPath("org-a"), { headers: auth(t) })).status).toBe(200);
      expect((await call(v.emu, "GET", listPath(), { headers: auth(t) })).status).toBe(403);
    });
  });

  describe("authentication on API calls", () => {
    it("requires both Authorization and Access", async () => {
      expect((await call(v.emu, "GET", listPath(), { headers: auth(v.tokens) })).status).toBe(200);
      const noAccess = await call(v.emu, "GET", listPath(), { headers: { authorization: `Bearer ${v.tokens.id_token}` } });
      expect(noAccess.status).toBe(401);
      expect(noAccess.json.errors[0].code).toBe(401);
      const noId = await call(v.emu, "GET", listPath(), { headers: { access: `Bearer ${v.tokens.access_token}` } });
      expect(noId.status).toBe(401);
      expect((await call(v.emu, "GET", listPath())).status).toBe(401);
    });

    it("rejects swapped, tampered and foreign tokens", async () => {
      const swapped = { authorization: `Bearer ${v.tokens.access_token}`, access: `Bearer ${v.tokens.id_token}` };
      expect((await call(v.emu, "GET", listPath(), { headers: swapped })).status).toBe(401);
      const [h, p, s] = v.tokens.id_token.split(".");
      const forged = Buffer.from(JSON.stringify({ ...payloadOf(v.tokens.id_token), exp: 9e9 })).toString("base64url");
      expect(forged).not.toBe(p);
      const tampered = { ...auth(v.tokens), authorization: `Bearer ${h}.${forged}.${s}` };
      expect((await call(v.emu, "GET", listPath(), { headers: tampered })).status).toBe(401);
      // Tokens from another emulator process (another secret) are not valid here.
      const other = await startEmulator();
      try {
        const foreign = await login(other);
        expect((await call(v.emu, "GET", listPath(), { headers: auth(foreign) })).status).toBe(401);
      } finally {
        await other.stop();
      }
    });

    it("rejects an id token and an access token of different users", async () => {
      await v.restart({
        ventusUsers: [
          { ...USER, organizations: [ORG] },
          { username: "eve@ventus.example", password: "eve", organizations: [ORG] },
        ],
      });
      const eve = await login(v.emu, { username: "eve@ventus.example", password: "eve" });
      expect((await call(v.emu, "GET", listPath(), { headers: auth(eve) })).status).toBe(200);
      const mixed = { authorization: `Bearer ${v.tokens.id_token}`, access: `Bearer ${eve.access_token}` };
      expect((await call(v.emu, "GET", listPath(), { headers: mixed })).status).toBe(401);
    });

    it("rejects expired tokens (tiny ttl, injected clock) and accepts fresh ones", async () => {
      await v.restart({ tokenTtlSeconds: 2 });
      expect((await call(v.emu, "GET", listPath(), { headers: auth(v.tokens) })).status).toBe(200);
      v.clock += 2000;
      const expired = await call(v.emu, "GET", listPath(), { headers: auth(v.tokens) });
      expect(expired.status).toBe(401);
      expect(expired.json.errors[0].message).toMatch(/expired/);
      const fresh = await login(v.emu);
      expect((await call(v.emu, "GET", listPath(), { headers: auth(fresh) })).status).toBe(200);
    });

    it("forbids organizations the user does not belong to (403)", async () => {
      const other = "00000000-0000-4000-8000-000000000000";
      expect((await call(v.emu, "GET", listPath(other), { headers: auth(v.tokens) })).status).toBe(403);
      const create = await call(v.emu, "POST", `${identity("vienna")}/${other}/projects/x`, { headers: auth(v.tokens) });
      expect(create.status).toBe(403);
      expect(create.json).toEqual({ errors: [{ code: 403, message: expect.any(String) }] });
    });
  });
});
