// State (store.ts): projects persisted to the core's data file and read back on restart, while the
// token secret is new to each process.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { call } from "../harness";
import { auth, identity, listPath, ORG, useVentus } from "./harness";

describe("Ventus emulator: persistence", () => {
  const v = useVentus();

  it("keeps projects across stop/start with dataFile; old tokens are refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ventus-emu-"));
    try {
      const dataFile = join(dir, "nested", "state.json");
      await v.restart({ dataFile });
      const h = auth(v.tokens);
      const a = (await call(v.emu, "POST", `${identity("vienna")}/${ORG}/projects/Kept`, { headers: h })).json;
      const b = (await call(v.emu, "POST", `${identity("eastern-switzerland")}/${ORG}/projects/Gone`, { headers: h })).json;
      await call(v.emu, "PUT", `${identity("vienna")}/${ORG}/projects/${a.id}`, { headers: h, body: { name: "Kept2" } });
      await call(v.emu, "DELETE", `${identity("eastern-switzerland")}/${ORG}/projects/${b.id}`, { headers: h });
      const onDisk = JSON.parse(readFileSync(dataFile, "utf8"));
      expect(onDisk.services.ventus.projects).toEqual([expect.objectContaining({ id: a.id, name: "Kept2", org: ORG, region: "vienna" })]);
      const oldTokens = v.tokens;
      await v.restart({ dataFile });
      expect((await call(v.emu, "GET", listPath(), { headers: auth(oldTokens) })).status).toBe(401);
      const list = await call(v.emu, "GET", listPath(), { headers: auth(v.tokens) });
      expect(list.json).toEqual([{ id: a.id, name: "Kept2", region: "Vienna" }]);
      const got = await call(v.emu, "GET", `${identity("vienna")}/projects/${a.id}`, { headers: auth(v.tokens) });
      expect(got.json).toEqual({ id: a.id, name: "Kept2" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
