// createOnce and KeyedQueue (provider/http/createOnce.ts): the rules that keep a create from
// failing or duplicating when its answer is lost.
import { KeyedQueue, createOnce } from "../../../../provider/http/createOnce";
import { ApiError } from "../../../../provider/http/errors";

const unknown = () => new ApiError({ service: "axway", method: "POST", path: "/x", code: "ECONNRESET", outcomeUnknown: true });
const status = (s: number) => new ApiError({ service: "axway", method: "POST", path: "/x", status: s });
const NO_WAIT = [0, 0];

describe("createOnce", () => {
  test("returns what the first attempt made, without looking", async () => {
    const find = jest.fn();
    expect(await createOnce({ attempt: async () => "a", find })).toBe("a");
    expect(find).not.toHaveBeenCalled();
  });

  test("adopts what a lost answer made instead of posting again", async () => {
    const server: string[] = [];
    const attempt = jest.fn(async () => {
      server.push("made");
      throw unknown();
    });
    const found = await createOnce({ attempt, find: async () => server[0], lookDelaysMs: NO_WAIT });
    expect(found).toBe("made");
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(server).toHaveLength(1);
  });

  test("posts again when nothing was made, after looking as many times as asked", async () => {
    let calls = 0;
    const find = jest.fn(async () => undefined);
    const r = await createOnce({
      attempt: async () => {
        if (++calls === 1) throw unknown();
        return "second";
      },
      find,
      lookDelaysMs: [0, 0, 0],
    });
    expect(r).toBe("second");
    expect(find).toHaveBeenCalledTimes(3);
  });

  test("a conflict after an unknown outcome is that attempt's object, found late (a lagging listing)", async () => {
    let calls = 0;
    let looks = 0;
    const r = await createOnce({
      attempt: async () => {
        throw ++calls === 1 ? unknown() : status(409);
      },
      // Invisible for the first two looks after the lost answer, then listed.
      find: async () => (++looks > 3 ? "late" : undefined),
      lookDelaysMs: NO_WAIT,
    });
    expect(r).toBe("late");
    expect(calls).toBe(2);
  });

  test("a conflict on the first attempt is the caller's to explain", async () => {
    const find = jest.fn();
    await expect(createOnce({ attempt: async () => Promise.reject(status(409)), find })).rejects.toMatchObject({ status: 409 });
    expect(find).not.toHaveBeenCalled();
  });

  test("other failures are not looked into, and attempts are bounded", async () => {
    await expect(createOnce({ attempt: async () => Promise.reject(status(400)), find: jest.fn() })).rejects.toMatchObject({ status: 400 });
    const attempt = jest.fn(async () => Promise.reject(unknown()));
    await expect(createOnce({ attempt, find: async () => undefined, maxAttempts: 3, lookDelaysMs: NO_WAIT })).rejects.toMatchObject({
      outcomeUnknown: true,
    });
    expect(attempt).toHaveBeenCalledTimes(3);
  });
});

describe("KeyedQueue", () => {
  test("runs tasks of one key one after another, other keys alongside, and survives a failure", async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const a1 = q.run("a", task("a1", 30, true));
    const a2 = q.run("a", task("a2", 1));
    const b1 = q.run("b", task("b1", 1));
    await expect(a1).rejects.toThrow("a1");
    expect(await a2).toBe("a2");
    expect(await b1).toBe("b1");
    expect(log.indexOf("end a1")).toBeLessThan(log.indexOf("start a2"));
    expect(log.indexOf("start b1")).toBeLessThan(log.indexOf("end a1"));
  });
});
