// The watch that ends a provider with its engine: what counts as the engine's address, and
// that only a refused connection counts as gone.
import * as net from "node:net";
import { engineAddress, probe, startedAsDynamicProvider, watchEngine } from "../../../provider/watchdog";

function listen(): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => socket.destroy()).listen(0, "127.0.0.1", () => resolve(server));
  });
}
const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;
const close = (server: net.Server) => new Promise((resolve) => server.close(resolve));

test.each([
  [["node", "dynamic-provider", "127.0.0.1:40123"], { host: "127.0.0.1", port: 40123 }],
  [["node", "run-plugin", "/plugin", "--logtostderr", "-v=9", "127.0.0.1:5"], { host: "127.0.0.1", port: 5 }],
  [["node", "x", "[::1]:40123"], { host: "::1", port: 40123 }],
  [["node", "x", "localhost:40123"], { host: "localhost", port: 40123 }],
  [["node", "x"], undefined],
  [["node", "x", "127.0.0.1:0"], undefined],
  [["node", "x", "127.0.0.1:70000"], undefined],
  [["node", "x", "-v=9"], undefined],
  [["node", "x", "/some/folder"], undefined],
])("the engine's address in %j is %j", (argv, address) => {
  expect(engineAddress(argv)).toEqual(address);
});

test("a port where something listens is alive, the same port closed is gone", async () => {
  const server = await listen();
  const address = { host: "127.0.0.1", port: portOf(server) };
  expect(await probe(address, 1000)).toBe("alive");
  await close(server);
  expect(await probe(address, 1000)).toBe("gone");
});

test("the watch calls onGone once, soon after the engine's port closes, and not before", async () => {
  const server = await listen();
  const gone = jest.fn();
  const stop = watchEngine({ host: "127.0.0.1", port: portOf(server) }, gone, 50);
  await new Promise((r) => setTimeout(r, 300));
  expect(gone).not.toHaveBeenCalled();
  await close(server);
  const closedAt = Date.now();
  while (gone.mock.calls.length === 0 && Date.now() - closedAt < 2000) await new Promise((r) => setTimeout(r, 10));
  expect(gone).toHaveBeenCalledTimes(1);
  expect(Date.now() - closedAt).toBeLessThan(1000);
  await new Promise((r) => setTimeout(r, 200));
  expect(gone).toHaveBeenCalledTimes(1);
  stop();
});

test("the dynamic provider's process is recognized by its main module", () => {
  expect(startedAsDynamicProvider("/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js")).toBe(true);
  expect(startedAsDynamicProvider("/p/node_modules/@pulumi/pulumi/cmd/run/index.js")).toBe(false);
  expect(startedAsDynamicProvider(undefined)).toBe(false);
});
