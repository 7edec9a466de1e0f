// The `ventus-axway` resource provider plugin: Pulumi's ResourceProvider gRPC service, served
// from @pulumi/pulumi's generated stubs with @grpc/grpc-js, on the same resource code the
// TypeScript SDK's dynamic resources run (provider/resources: one check/diff/create/read/update/
// delete per resource, two faces).
//
// Served here rather than through @pulumi/pulumi/provider's `main`, whose server (3.259 and
// 3.270) answers Configure without handing the configuration to the provider, and fails an
// import's Read, which carries an id and no properties (`req.getProperties().toJavaScript()`
// on undefined). Both are what this provider needs: its settings as provider configuration,
// and `pulumi import` / the `import` option for all four resources.
import * as grpc from "@grpc/grpc-js";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { withResource } from "../clients/notices";
import { providerContext, type ProviderContext } from "../context";
import { FUNCTIONS } from "../functionDescriptors";
import { PACKAGE, pluginToken, resourceOfType, secretFields, type ResourceDescriptor } from "../resources";
import type { CheckFailure } from "../resources/common";
import { buildSchema } from "./schema";
import { fromVariables, pluginSettings, providerConfigSource } from "./settings";
import { unknownFieldMessage } from "../rules";
import { fromStruct, toStruct, unwrapSecrets, wrapSecrets } from "./values";

type Obj = Record<string, unknown>;
type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

/** What `pulumi import` and the `import` option take as the id (the descriptor's grammar), and what `read` then needs to know. */
export function parseImportId(d: ResourceDescriptor, importId: string, ctx: ProviderContext): { id: string; props: Obj } {
  const parsed = d.importId.parse(importId, ctx);
  if (!parsed) throw new Error(`${d.name}: the import id must be ${d.importId.form} (got "${importId}")`);
  return parsed;
}

/** `urn:pulumi:stack::project::ventus-axway:index:VentusProject::name` (or a request's type) → its descriptor. */
function resourceOf(urn: string, type?: string): ResourceDescriptor {
  const t = type || (urn.split("::")[2] ?? "").split("$").pop() || "";
  const d = resourceOfType(t);
  if (!d || pluginToken(d) !== t) throw grpcError(grpc.status.INVALID_ARGUMENT, `unknown resource type ${t}`);
  return d;
}

function grpcError(code: grpc.status, message: string, metadata?: grpc.Metadata): grpc.ServiceError {
  return Object.assign(new Error(message), { code, details: message, metadata: metadata ?? new grpc.Metadata() });
}

/** An error as the engine shows it: the message, no stack. A create that made its object reports it (ErrorResourceInitFailed). */
function toGrpcError(err: unknown, secretKeys: Iterable<string> = []): grpc.ServiceError {
  if (err && typeof err === "object" && "code" in err && "details" in err) return err as grpc.ServiceError;
  const e = err instanceof Error ? err : new Error(String(err));
  const partial = e as Error & { id?: string; properties?: Obj; reasons?: string[] };
  if (typeof partial.id === "string" && partial.properties) {
    const detail = new provproto.ErrorResourceInitFailed();
    detail.setId(partial.id);
    const { __provider: _ignored, ...props } = partial.properties;
    detail.setProperties(toStruct(wrapSecrets(props, secretKeys)));
    detail.setReasonsList(partial.reasons ?? [e.message]);
    const any = new Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statusproto.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(e.message);
    status.addDetails(any);
    const metadata = new grpc.Metadata();
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
    return grpcError(grpc.status.UNKNOWN, e.message, metadata);
  }
  return grpcError(grpc.status.UNKNOWN, e.message);
}

/**
 * Runs an async handler and answers the call with its result or its error. The notices of the
 * HTTP calls it makes (retries, slow calls) name the request's resource, where it has one.
 */
function handle<Req, Res>(fn: (req: Req) => Promise<Res>): Unary<Req, Res> {
  return (call, callback) => {
    const req = call.request as Req & { getUrn?: () => string };
    withResource(req.getUrn?.() ?? "", () => fn(req)).then(
      (res) => callback(null, res),
      (err) => callback(toGrpcError(err)),
    );
  };
}

function failures(list: CheckFailure[] | undefined): provproto.CheckFailure[] {
  return (list ?? []).map((f) => {
    const failure = new provproto.CheckFailure();
    failure.setProperty(f.property);
    failure.setReason(f.reason);
    return failure;
  });
}

export interface ProviderOptions {
  version: string;
}

/** Inputs the engine itself gives every provider resource. */
const ENGINE_PROVIDER_INPUTS = new Set(["version", "pluginDownloadURL"]);

/** The ResourceProvider service's methods; those left out answer UNIMPLEMENTED. */
export function providerService(options: ProviderOptions): grpc.UntypedServiceImplementation {
  let schema: string | undefined;
  // The provider's settings (Configure), then the environment; until Configure, the environment alone.
  let ctx = providerContext(providerConfigSource({}));
  /** The operations on the engine's property bags, which each resource's check validated. */
  const operations = (d: ResourceDescriptor) => d.operations as ResourceDescriptor<Obj, Obj>["operations"];

  const service = {
    getPluginInfo: handle(async (_req: Empty) => {
      const info = new plugproto.PluginInfo();
      info.setVersion(options.version);
      return info;
    }),

    getSchema: handle(async (req: provproto.GetSchemaRequest) => {
      if (req.getVersion() !== 0) throw grpcError(grpc.status.INVALID_ARGUMENT, `unsupported schema version ${req.getVersion()}`);
      schema ??= JSON.stringify(buildSchema(options.version));
      const res = new provproto.GetSchemaResponse();
      res.setSchema(schema);
      return res;
    }),

    // A misspelt setting would otherwise be ignored and show up later as "not configured": name
    // it at preview, with the closest setting. Values are checked where they are used (resources' check).
    checkConfig: handle(async (req: provproto.CheckRequest) => {
      const news = req.getNews()?.toJavaScript() ?? {};
      const known = pluginSettings().map((s) => s.property);
      const res = new provproto.CheckResponse();
      res.setInputs(req.getNews()); // as given: secrets stay wrapped
      res.setFailuresList(
        failures(
          Object.keys(news)
            .filter((k) => !ENGINE_PROVIDER_INPUTS.has(k) && !k.startsWith("__") && !known.includes(k))
            .map((k) => ({ property: k, reason: `${PACKAGE}:${k}: ${unknownFieldMessage(k, known, "setting")}` })),
        ),
      );
      return res;
    }),

    // Settings arrive typed in `args` (secrets included) from current engines, else in `variables`.
    configure: handle(async (req: provproto.ConfigureRequest) => {
      const values = req.getArgs()
        ? unwrapSecrets(fromStruct(req.getArgs())).values
        : fromVariables(PACKAGE, req.getVariablesMap().toArray());
      ctx = providerContext(providerConfigSource(values)); // what every resource and function is handed
      const res = new provproto.ConfigureResponse();
      res.setAcceptsecrets(true);
      // Create and update are never called at preview: they would call the services.
      res.setSupportspreview(false);
      res.setAcceptresources(false);
      res.setAcceptoutputs(false);
      return res;
    }),

    check: handle(async (req: provproto.CheckRequest) => {
      const d = resourceOf(req.getUrn(), req.getType());
      const olds = unwrapSecrets(fromStruct(req.getOlds())).values;
      const news = unwrapSecrets(fromStruct(req.getNews()));
      const result = await operations(d).check(ctx, olds, news.values);
      const res = new provproto.CheckResponse();
      res.setInputs(toStruct(wrapSecrets(result.inputs ?? news.values, [...news.secretKeys, ...secretFields(d)])));
      res.setFailuresList(failures(result.failures));
      return res;
    }),

    diff: handle(async (req: provproto.DiffRequest) => {
      const d = resourceOf(req.getUrn(), req.getType());
      const olds = unwrapSecrets(fromStruct(req.getOlds())).values;
      const news = unwrapSecrets(fromStruct(req.getNews())).values;
      const result = await operations(d).diff(req.getId(), olds, news);
      const res = new provproto.DiffResponse();
      res.setChanges(result.changes ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
      res.setReplacesList(result.replaces ?? []);
      res.setDeletebeforereplace(result.deleteBeforeReplace === true);
      return res;
    }),

    create: handle(async (req: provproto.CreateRequest) => {
      const d = resourceOf(req.getUrn(), req.getType());
      const inputs = unwrapSecrets(fromStruct(req.getProperties()));
      const secretKeys = [...inputs.secretKeys, ...secretFields(d)];
      let result: { id: string; outs: unknown };
      try {
        result = await operations(d).create(ctx, inputs.values);
      } catch (err) {
        throw toGrpcError(err, secretKeys); // made but not finished: the engine keeps it in state
      }
      const res = new provproto.CreateResponse();
      res.setId(result.id);
      res.setProperties(toStruct(wrapSecrets(result.outs as Obj, secretKeys)));
      return res;
    }),

    // Refresh sends the state; an import sends only the id, which then says what read needs.
    read: handle(async (req: provproto.ReadRequest) => {
      const d = resourceOf(req.getUrn(), req.getType());
      const state = unwrapSecrets(fromStruct(req.getProperties()));
      const importing = Object.keys(state.values).length === 0;
      const { id, props } = importing ? parseImportId(d, req.getId(), ctx) : { id: req.getId(), props: state.values };
      const result = await operations(d).read(ctx, id, props);
      const res = new provproto.ReadResponse();
      if (!result.id || !result.props) return res; // gone: no id, no properties
      const secretKeys = [...state.secretKeys, ...unwrapSecrets(fromStruct(req.getInputs())).secretKeys, ...secretFields(d)];
      res.setId(result.id);
      res.setProperties(toStruct(wrapSecrets(result.props, secretKeys)));
      if (result.inputs) res.setInputs(toStruct(wrapSecrets(result.inputs, secretKeys)));
      return res;
    }),

    update: handle(async (req: provproto.UpdateRequest) => {
      const d = resourceOf(req.getUrn(), req.getType());
      const olds = unwrapSecrets(fromStruct(req.getOlds()));
      const news = unwrapSecrets(fromStruct(req.getNews()));
      const result = await operations(d).update(ctx, req.getId(), olds.values, news.values);
      const res = new provproto.UpdateResponse();
      res.setProperties(toStruct(wrapSecrets(result.outs as Obj, [...news.secretKeys, ...secretFields(d)])));
      return res;
    }),

    delete: handle(async (req: provproto.DeleteRequest) => {
      const d = resourceOf(req.getUrn(), req.getType());
      await operations(d).delete(ctx, req.getId(), unwrapSecrets(fromStruct(req.getProperties())).values);
      return new Empty();
    }),

    invoke: handle(async (req: provproto.InvokeRequest) => {
      const tok = req.getTok();
      const f = FUNCTIONS.find((x) => tok === `${PACKAGE}:index:${x.name}`);
      if (!f) throw grpcError(grpc.status.INVALID_ARGUMENT, `unknown function ${tok}`);
      const args = unwrapSecrets(fromStruct(req.getArgs())).values;
      // The functions programs call (provider/functions.ts): one implementation for both, here with the provider's settings.
      const res = new provproto.InvokeResponse();
      res.setReturn(toStruct({ [f.result]: await f.run(ctx, args as never) }));
      return res;
    }),

    cancel: handle(async (_req: Empty) => new Empty()),
    attach: handle(async (_req: plugproto.PluginAttach) => new Empty()),
  };
  return service as unknown as grpc.UntypedServiceImplementation;
}

/** Serves the provider on a loopback port and prints the port on stdout, as the engine expects. */
export async function serve(options: ProviderOptions): Promise<{ port: number; server: grpc.Server }> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
    "grpc.max_send_message_length": 400 * 1024 * 1024,
  });
  server.addService(provrpc.ResourceProviderService, providerService(options));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { port, server };
}
