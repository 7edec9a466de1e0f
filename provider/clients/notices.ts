// What the clients tell the user while a call takes long (a retry, a call still running), so
// that `pulumi up` does not sit silent through up to 16 s of backoff.
//
// Where it can go depends on the process. A provider process (the SDK's dynamic provider,
// @pulumi/pulumi/cmd/dynamic-provider, or this package's plugin, started through cmd/run-plugin)
// gets the engine's address as its last argument (sdk/go/common/resource/plugin/
// provider_plugin.go: newPlugin(..., []string{host.ServerAddr()}, ...)), but @pulumi/pulumi's
// `log` does not use it: it talks to the engine only when PULUMI_NODEJS_ENGINE is set, which the
// language host does for programs and nobody does for providers, and otherwise prints
// `info: [runtime] …` to the provider's stdout (log/index.js, runtime/settings.js getEngine).
// The engine does pass a dynamic provider's stdout on as a message without resource, but hides
// what any other plugin prints (plugin.go, runtrace / isDynamicPluginBinary). So in a provider
// process the notices go to the engine's Log RPC directly, with the URN of the resource whose
// operation made the call where the request carried one (`withResource`; the dynamic provider's
// create/update/delete are not told their URN, so there they belong to the stack). In a
// program (the SDK's functions run there) `pulumi.log` reaches the engine itself.
import { AsyncLocalStorage } from "node:async_hooks";
import * as grpc from "@grpc/grpc-js";
import * as log from "@pulumi/pulumi/log";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import type { HttpClientOptions, RetryEvent, SlowCallEvent } from "../http/client";

const operation = new AsyncLocalStorage<string>();

/** Runs `fn` as the operation on resource `urn`: the notices of the calls it makes name that resource. */
export function withResource<T>(urn: string, fn: () => T): T {
  return operation.run(urn, fn);
}

/** The engine address a provider process was started with; undefined in any other process. */
export function providerEngineAddress(mainFile = require.main?.filename, argv = process.argv): string | undefined {
  if (!mainFile || !/[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/](dynamic-provider|run-plugin)([\\/]index\.js)?$/.test(mainFile)) return undefined;
  const last = argv[argv.length - 1] ?? "";
  return /^\S+:\d+$/.test(last) ? last : undefined;
}

let engine: engrpc.EngineClient | null | undefined;

function engineClient(): engrpc.EngineClient | undefined {
  if (engine === undefined) {
    const address = providerEngineAddress();
    engine = address ? new engrpc.EngineClient(address, grpc.credentials.createInsecure()) : null;
  }
  return engine ?? undefined;
}

/** Shows `message` in the CLI's output, as information (a retry is not yet a problem). */
export function notify(message: string): void {
  const client = engineClient();
  if (!client) {
    void log.info(message);
    return;
  }
  const req = new engproto.LogRequest();
  req.setSeverity(engproto.LogSeverity.INFO);
  req.setMessage(message);
  req.setUrn(operation.getStore() ?? "");
  // A notice the engine did not take is no reason to fail the call it was about.
  client.log(req, () => undefined);
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(2))} s`;

/** `axway: retrying POST /api/portal/v1.3/organizations after HTTP 503 (attempt 2 of 7, next in 0.5 s)`. */
export function retryMessage(e: RetryEvent): string {
  return `${e.service}: retrying ${e.method} ${e.path} after ${e.reason} (attempt ${e.attempt + 1} of ${e.maxAttempts}, next in ${seconds(e.delayMs)})`;
}

/** `ventus: GET /v1.0/… still running after 5 s (attempt 3)`. */
export function slowCallMessage(e: SlowCallEvent): string {
  return `${e.service}: ${e.method} ${e.path} still running after ${seconds(e.elapsedMs)}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ""}`;
}

/** The HTTP core's hooks, told to the user. Paths arrive masked and without query (see RetryEvent). */
export const userNotices: Pick<HttpClientOptions, "onRetry" | "onSlowCall"> = {
  onRetry: (e) => notify(retryMessage(e)),
  onSlowCall: (e) => notify(slowCallMessage(e)),
};
