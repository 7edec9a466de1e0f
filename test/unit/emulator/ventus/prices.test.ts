// Prices (prices.ts): storage and flavors per currency, for authenticated callers only.
import { call } from "../harness";
import { auth, useVentus } from "./harness";

describe("Ventus emulator: prices", () => {
  const v = useVentus();

  it("serves prices per currency with storage and flavors", async () => {
    const r = await call(v.emu, "GET", "/v1.0/invoke/gotham-bank/method/prices", { headers: auth(v.tokens) });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(Object.keys(r.json).sort()).toEqual(["chf", "eur"]);
    expect(r.json.chf.storage).toBe(0.0003);
    expect(r.json.chf.flavors.slice(0, 1)).toEqual([{ id: "0000-0020-vc-1", name: "VC-1", price: { base: 0.0121, windows: 0.01815 } }]);
    expect(r.json.chf.flavors).toContainEqual({ id: "0000-0040-vc-4", name: "VC-4", price: { base: 0.0484, windows: 0.0726 } });
    for (const currency of Object.values(r.json) as Array<{ storage: number; flavors: unknown[] }>) {
      expect(typeof currency.storage).toBe("number");
      expect(currency.flavors.length).toBeGreaterThanOrEqual(3);
      for (const f of currency.flavors) {
        expect(f).toEqual({
          id: expect.stringMatching(/^\d{4}-\d{4}-vc-\d+$/),
          name: expect.stringMatching(/^VC-\d+$/),
          price: { base: expect.any(Number), windows: expect.any(Number) },
        });
      }
    }
    expect((await call(v.emu, "GET", "/v1.0/invoke/gotham-bank/method/prices")).status).toBe(401);
  });
});
