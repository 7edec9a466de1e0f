// Shared by the Axway client's tests: the real emulator on port 0, started for each test and
// stopped after it with the clients the test made, admin and organization-admin credentials,
// a JPEG maker, and the organization CRUD that both auth modes run.
import { startEmulator, type RunningEmulator } from "../../../../../emulator";
import { AxwayClient, type AxwayClientOptions } from "../../../../../provider/clients/axway/client";
import { ApiError } from "../../../../../provider/http/errors";

export const P = "/api/portal/v1.3";
export const ADMIN = { username: "apiadmin", password: "changeme" };
export const ORG_ADMIN = { username: "orgadmin", password: "orgadmin-password" };
const FAST = { retry: { minDelayMs: 5, maxDelayMs: 20 } };

/** The emulator of the running test (a live binding: a new one each test). */
export let emu: RunningEmulator;
/** Clients the test made; closed after it. */
export const clients: AxwayClient[] = [];

/** Call at the top of a test file: each test gets a fresh emulator. */
export function emulatorPerTest(): void {
  beforeEach(async () => {
    emu = await startEmulator({ port: 0 });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await emu.stop();
  });
}

export function client(opts: Partial<AxwayClientOptions> = {}): AxwayClient {
  const c = new AxwayClient({ url: emu.axwayUrl, ...ADMIN, http: FAST, ...opts });
  clients.push(c);
  return c;
}

export function jpeg(size = 256, fill = 7): Buffer {
  const b = Buffer.alloc(size, fill);
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return b;
}

export async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

/** Organization CRUD as the tests of both auth modes run it. */
export async function organizationCrud(c: AxwayClient): Promise<void> {
  const created = await c.createOrganization({
    name: "Acme Corporation",
    email: "support@acmecorp.com",
    phone: "+1 877-564-7700",
    enabled: false,
  });
  expect(created).toMatchObject({
    name: "Acme Corporation",
    email: "support@acmecorp.com",
    enabled: false,
    restricted: false,
    image: null,
  });
  expect(typeof created.createdOn).toBe("number");
  expect(created.dn).toBe("o=Acme Corporation,ou=organizations,ou=APIPortal");

  expect(await c.getOrganization(created.id)).toEqual(created);

  // A full-object PUT: fields left out are cleared, server fields kept.
  const updated = await c.updateOrganization(created.id, { name: "Acme Corp", description: "Renamed", enabled: true });
  expect(updated).toMatchObject({ id: created.id, name: "Acme Corp", description: "Renamed", enabled: true, createdOn: created.createdOn });
  expect(updated.email).toBeUndefined();
  expect((await c.getOrganization(created.id))?.name).toBe("Acme Corp");

  expect(await c.deleteOrganization(created.id)).toBe(true);
  expect(await c.getOrganization(created.id)).toBeUndefined();
  expect(await c.deleteOrganization(created.id)).toBe(false);
}
