// SingleFlightCredentials (provider/http/credentials.ts): one fetch for concurrent callers,
// nothing cached from a failed fetch, and exactly one renewal when the service says 401.
import { SingleFlightCredentials } from "../../../../provider/http/credentials";
import { ApiError } from "../../../../provider/http/errors";

const refused = () => new ApiError({ service: "ventus", method: "GET", path: "/x", status: 401 });

/** A fetch that hands out `cred-1`, `cred-2`, … and can be held open until released. */
function fetcher() {
  let n = 0;
  let gate: Promise<void> = Promise.resolve();
  let release = () => {};
  const fetch = jest.fn(async () => {
    const id = ++n;
    await gate;
    return `cred-${id}`;
  });
  return {
    fetch,
    hold: () => {
      gate = new Promise((r) => (release = r));
    },
    release: () => release(),
  };
}

test("concurrent gets share one fetch", async () => {
  const f = fetcher();
  const creds = new SingleFlightCredentials(f.fetch);
  f.hold();
  const all = Promise.all(Array.from({ length: 10 }, () => creds.get()));
  f.release();
  expect(new Set(await all)).toEqual(new Set(["cred-1"]));
  expect(await creds.get()).toBe("cred-1");
  expect(f.fetch).toHaveBeenCalledTimes(1);
});

test("a failed fetch is not cached: the next get fetches again", async () => {
  const fetch = jest.fn().mockRejectedValueOnce(new Error("auth down")).mockResolvedValue("cred");
  const creds = new SingleFlightCredentials<string>(fetch);
  await expect(Promise.all([creds.get(), creds.get()])).rejects.toThrow("auth down");
  expect(fetch).toHaveBeenCalledTimes(1); // both waited on the one failed fetch
  expect(await creds.get()).toBe("cred");
  expect(fetch).toHaveBeenCalledTimes(2);
});

test("credentials are renewed once their renewAt has passed", async () => {
  let now = 0;
  const f = fetcher();
  const creds = new SingleFlightCredentials(f.fetch, { renewAt: () => now + 1000, now: () => now });
  expect(await creds.get()).toBe("cred-1");
  now = 999;
  expect(await creds.get()).toBe("cred-1");
  now = 1000;
  expect(await creds.get()).toBe("cred-2");
});

test("a 401 renews exactly once and repeats the call with the new credentials", async () => {
  const f = fetcher();
  const creds = new SingleFlightCredentials(f.fetch);
  const seen: string[] = [];
  const r = await creds.withRenewal(async (c) => {
    seen.push(c);
    if (c === "cred-1") throw refused();
    return "done";
  });
  expect(r).toBe("done");
  expect(seen).toEqual(["cred-1", "cred-2"]);
  expect(f.fetch).toHaveBeenCalledTimes(2);
});

test("a second 401 is the caller's error: no renewal loop", async () => {
  const f = fetcher();
  const creds = new SingleFlightCredentials(f.fetch);
  const call = jest.fn(async () => {
    throw refused();
  });
  await expect(creds.withRenewal(call)).rejects.toMatchObject({ status: 401 });
  expect(call).toHaveBeenCalledTimes(2);
  expect(f.fetch).toHaveBeenCalledTimes(2);
});

test("other failures are not retried and keep the credentials", async () => {
  const f = fetcher();
  const creds = new SingleFlightCredentials(f.fetch);
  const forbidden = new ApiError({ service: "axway", method: "GET", path: "/x", status: 403 });
  const call = jest.fn(async () => {
    throw forbidden;
  });
  await expect(creds.withRenewal(call)).rejects.toBe(forbidden);
  expect(call).toHaveBeenCalledTimes(1);
  expect(await creds.get()).toBe("cred-1");
});

test("callers refused with the same credentials share one renewal", async () => {
  const f = fetcher();
  const creds = new SingleFlightCredentials(f.fetch);
  await creds.get();
  f.hold();
  const seen: string[] = [];
  const calls = Array.from({ length: 5 }, () =>
    creds.withRenewal(async (c) => {
      seen.push(c);
      if (c === "cred-1") throw refused();
      return c;
    }),
  );
  f.release();
  expect(await Promise.all(calls)).toEqual(Array(5).fill("cred-2"));
  expect(f.fetch).toHaveBeenCalledTimes(2);
});

test("a renewal another caller already made is reused, not thrown away", async () => {
  const f = fetcher();
  const creds = new SingleFlightCredentials(f.fetch);
  const old = await creds.get();
  creds.invalidate(old);
  expect(await creds.get()).toBe("cred-2");
  // A caller whose call with the old credentials fails only now: cred-2 stays.
  creds.invalidate(old);
  expect(await creds.get()).toBe("cred-2");
  expect(f.fetch).toHaveBeenCalledTimes(2);
});

test("take hands back the credentials and forgets them", async () => {
  const f = fetcher();
  const creds = new SingleFlightCredentials(f.fetch);
  expect(await creds.take()).toBeUndefined();
  await creds.get();
  expect(await creds.take()).toBe("cred-1");
  expect(await creds.take()).toBeUndefined();
  expect(await creds.get()).toBe("cred-2");
});
