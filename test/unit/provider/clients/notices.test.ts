// provider/clients/notices.ts: what the user reads about retries and slow calls, and how a
// provider process finds the engine to tell it to.
import { providerEngineAddress, retryMessage, slowCallMessage } from "../../../../provider/clients/notices";

test("a retry says which call, why, which attempt comes next of how many, and when", () => {
  expect(
    retryMessage({
      service: "axway",
      method: "POST",
      path: "/api/portal/v1.3/organizations",
      attempt: 1,
      maxAttempts: 7,
      delayMs: 250,
      reason: "HTTP 503",
    }),
  ).toBe("axway: retrying POST /api/portal/v1.3/organizations after HTTP 503 (attempt 2 of 7, next in 0.25 s)");
  expect(
    retryMessage({
      service: "ventus",
      method: "GET",
      path: "/get-tokens",
      attempt: 6,
      maxAttempts: 7,
      delayMs: 8000,
      reason: "ECONNRESET",
    }),
  ).toBe("ventus: retrying GET /get-tokens after ECONNRESET (attempt 7 of 7, next in 8 s)");
});

test("a slow call says how long it has run, and the attempt once it is retrying", () => {
  const call = { service: "axway", method: "PUT", path: "/api/portal/v1.3/organizations/o1", elapsedMs: 5000 } as const;
  expect(slowCallMessage({ ...call, attempt: 1 })).toBe("axway: PUT /api/portal/v1.3/organizations/o1 still running after 5 s");
  expect(slowCallMessage({ ...call, attempt: 3 })).toBe("axway: PUT /api/portal/v1.3/organizations/o1 still running after 5 s (attempt 3)");
});

describe("providerEngineAddress", () => {
  const sdk = "/p/node_modules/@pulumi/pulumi/cmd";
  it.each([
    [`${sdk}/dynamic-provider/index.js`, ["node", `${sdk}/dynamic-provider/index.js`, "127.0.0.1:40123"]],
    [`${sdk}/run-plugin/index.js`, ["node", `${sdk}/run-plugin`, "--logtostderr", "-v=9", "127.0.0.1:40123"]],
  ])("is the last argument of a provider process (%s)", (main, argv) => {
    expect(providerEngineAddress(main, argv)).toBe("127.0.0.1:40123");
  });

  it("is undefined in a program, in tests, and without an address", () => {
    expect(providerEngineAddress(`${sdk}/run/index.js`, ["node", "run", "127.0.0.1:1"])).toBeUndefined();
    expect(providerEngineAddress(undefined, ["node"])).toBeUndefined();
    expect(providerEngineAddress(`${sdk}/dynamic-provider/index.js`, ["node", `${sdk}/dynamic-provider/index.js`])).toBeUndefined();
  });
});
