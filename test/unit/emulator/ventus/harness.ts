// Shared by the Ventus tests: the emulator started afresh for each test with an injected clock
// and the default user logged in, login, the two Bearer headers, and the paths of the calls.
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../../../emulator";
import { DEFAULT_VENTUS_USER } from "../../../../emulator/ventus";
import { call } from "../harness";

export const ORG = DEFAULT_VENTUS_USER.organizations[0]!;
export const USER = { username: DEFAULT_VENTUS_USER.username, password: DEFAULT_VENTUS_USER.password };

export interface Tokens {
  id_token: string;
  access_token: string;
}

export async function login(emu: RunningEmulator, creds = USER): Promise<Tokens> {
  const r = await call(emu, "GET", "/get-tokens", { body: creds });
  expect(r.status).toBe(200);
  return r.json as Tokens;
}

export function auth(t: Tokens): Record<string, string> {
  return { authorization: `Bearer ${t.id_token}`, access: `Bearer ${t.access_token}` };
}

export const identity = (region: string) => `/v1.0/invoke/gotham-${region}-identity/method`;
export const listPath = (org = ORG) => `/v1.0/invoke/gotham-enterprises/method/orgs/${org}/projects`;

export interface Ventus {
  emu: RunningEmulator;
  /** The default user's tokens from the latest start. */
  tokens: Tokens;
  /** Milliseconds since epoch, as the emulator sees them; tests may move it. */
  clock: number;
  /** Stops the running emulator and starts one with these options (same clock), logged in again. */
  restart(options?: EmulatorOptions): Promise<void>;
}

/** Registers the beforeEach/afterEach that give each test a fresh, logged-in emulator. */
export function useVentus(): Ventus {
  const v = { clock: 0 } as Ventus;
  const start = async (options: EmulatorOptions = {}) => {
    v.emu = await startEmulator({ now: () => v.clock, ...options });
    v.tokens = await login(v.emu);
  };
  v.restart = async (options) => {
    await v.emu.stop();
    await start(options);
  };
  beforeEach(async () => {
    v.clock = Date.UTC(2026, 0, 1);
    await start();
  });
  afterEach(async () => {
    await v.emu.stop();
  });
  return v;
}
