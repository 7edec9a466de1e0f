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
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { configure as configureSettings } from "../config";
import { ventusOrganizationDefault } from "../clients";
import { withResource } from "../clients/notices";
import { resources, type ResourceKind } from "..";
import type { CheckFailure } from "../resources/common";
import { FUNCTION_DOCS, PACKAGE, RESOURCE_DOCS, buildSchema } from "./schema";
import { fromVariables, inPluginTerms, pluginSettings, providerConfigSource } from "./settings";
import { unknownFieldMessage } from "../rules";
import { fromStruct, toStruct, unwrapSecrets, wrapSecrets } from "./values";

type Obj = Record<string, unknown>;
type Resource = (typeof resources)[ResourceKind];
/** A resource as the plugin calls it: with the engine's property bags, which each resource's check validated. */
type OnBags = { [M in keyof Resource]: (...args: Array<string | Obj>) => ReturnType<Resource[M]> };
type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

const KINDS: Record<string, ResourceKind> = {
  VentusProject: "ventusProject",
  PortalOrganization: "portalOrganization",
  OrganizationApiAccess: "organizationApiAccess",
  RegistrationToken: "registrationToken",
};

/** What `pulumi import` and the `import` option take as the id, and what `read` then needs to know. */
export function parseImportId(resource: string, importId: string): { id: string; props: Obj } {
  const parts = importId.split("/");
  const fail = (form: string) => {
    throw new Error(`${resource}: the import id must be ${form} (got "${importId}")`);
  };
  switch (resource) {
    case "VentusProject": {
      if (parts.length > 2 || parts.some((p) => !p)) fail("<projectId> or <organizationId>/<projectId>");
      const org = parts.length === 2 ? parts[0] : ventusOrganizationDefault();
      if (!org) fail("<organizationId>/<projectId> (no default organization: ventusOrganizationId / VENTUS_ORGANIZATION_ID is not set)");
      return { id: parts[parts.length - 1], props: { organizationId: org } };
    }
    case "PortalOrganization":
      if (parts.length !== 1 || !parts[0]) fail("<organizationId>");
      return { id: importId, props: {} };
    case "OrganizationApiAccess":
      if (parts.length !== 2 || parts.some((p) => !p)) fail("<organizationId>/<accessId>");
      return { id: parts[1], props: { organizationId: parts[0] } };
    case "RegistrationToken":
      // Never the code itself: an import id is kept in plain text (in state, with the `import` option).
      if (parts.length !== 2 || !/^regcode-[0-9a-f]{20}$/.test(parts[1] ?? ""))
        fail("<organizationId>/regcode-<first 20 hex digits of the code's SHA-256>");
      return { id: parts[1], props: { organizationId: parts[0] } };
  }
  throw new Error(`unknown resource ${resource}`);
}

/** `urn:pulumi:stack::project::ventus-axway:index:VentusProject::name` (or a request's type) → `VentusProject`. */
function resourceName(urn: string, type?: string): string {
  const t = type || (urn.split("::")[2] ?? "").split("$").pop() || "";
  const prefix = `${PACKAGE}:index:`;
  const name = t.startsWith(prefix) ? t.slice(prefix.length) : "";
  if (!KINDS[name]) throw grpcError(grpc.status.INVALID_ARGUMENT, `unknown resource type ${t}`);
  return name;
}

function grpcError(code: grpc.status, message: string, metadata?: grpc.Metadata): grpc.ServiceError {
  return Object.assign(new Error(message), { code, details: message, metadata: metadata ?? new grpc.Metadata() });
}

/** An error as the engine shows it: the message, no stack. A create that made its object reports it (ErrorResourceInitFailed). */
function toGrpcError(err: unknown, secretKeys: Iterable<string> = []): grpc.ServiceError {
  if (err && typeof err === "object" && "code" in err && "details" in err) return err as grpc.ServiceError;
  const e = err instanceof Error ? err : new Error(String(err));
  e.message = inPluginTerms(e.message);
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
    failure.setReason(inPluginTerms(f.reason));
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
  const impl = (name: string) => resources[KINDS[name]] as unknown as OnBags;
  const secretOutputs = (name: string) => RESOURCE_DOCS[name].secretOutputs ?? [];

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
      const source = providerConfigSource(values);
      configureSettings(source); // what the resources read
      // What the SDK's functions read (they run in programs, on the stack configuration): here the
      // same settings under the same keys, `ventus:username`, …
      runtimeConfig.setAllConfig(source.entries());
      const res = new provproto.ConfigureResponse();
      res.setAcceptsecrets(true);
      // Create and update are never called at preview: they would call the services.
      res.setSupportspreview(false);
      res.setAcceptresources(false);
      res.setAcceptoutputs(false);
      return res;
    }),

    check: handle(async (req: provproto.CheckRequest) => {
      const name = resourceName(req.getUrn(), req.getType());
      const olds = unwrapSecrets(fromStruct(req.getOlds())).values;
      const news = unwrapSecrets(fromStruct(req.getNews()));
      const result = await impl(name).check(olds, news.values);
      const res = new provproto.CheckResponse();
      res.setInputs(toStruct(wrapSecrets(result.inputs ?? news.values, [...news.secretKeys, ...secretOutputs(name)])));
      res.setFailuresList(failures(result.failures));
      return res;
    }),

    diff: handle(async (req: provproto.DiffRequest) => {
      const name = resourceName(req.getUrn(), req.getType());
      const olds = unwrapSecrets(fromStruct(req.getOlds())).values;
      const news = unwrapSecrets(fromStruct(req.getNews())).values;
      const result = await impl(name).diff(req.getId(), olds, news);
      const res = new provproto.DiffResponse();
      res.setChanges(result.changes ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
      res.setReplacesList(result.replaces);
      res.setDeletebeforereplace(result.deleteBeforeReplace === true);
      return res;
    }),

    create: handle(async (req: provproto.CreateRequest) => {
      const name = resourceName(req.getUrn(), req.getType());
      const inputs = unwrapSecrets(fromStruct(req.getProperties()));
      const secretKeys = [...inputs.secretKeys, ...secretOutputs(name)];
      let result: { id: string; outs: unknown };
      try {
        result = await impl(name).create(inputs.values);
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
      const name = resourceName(req.getUrn(), req.getType());
      const state = unwrapSecrets(fromStruct(req.getProperties()));
      const importing = Object.keys(state.values).length === 0;
      const { id, props } = importing ? parseImportId(name, req.getId()) : { id: req.getId(), props: state.values };
      const result = await impl(name).read(id, props);
      const res = new provproto.ReadResponse();
      if (!result.id || !result.props) return res; // gone: no id, no properties
      const secretKeys = [...state.secretKeys, ...unwrapSecrets(fromStruct(req.getInputs())).secretKeys, ...secretOutputs(name)];
      res.setId(result.id);
      res.setProperties(toStruct(wrapSecrets(result.props, secretKeys)));
      if (result.inputs) res.setInputs(toStruct(wrapSecrets(result.inputs, secretKeys)));
      return res;
    }),

    update: handle(async (req: provproto.UpdateRequest) => {
      const name = resourceName(req.getUrn(), req.getType());
      const olds = unwrapSecrets(fromStruct(req.getOlds()));
      const news = unwrapSecrets(fromStruct(req.getNews()));
      const result = await impl(name).update(req.getId(), olds.values, news.values);
      const res = new provproto.UpdateResponse();
      res.setProperties(toStruct(wrapSecrets(result.outs as Obj, [...news.secretKeys, ...secretOutputs(name)])));
      return res;
    }),

    delete: handle(async (req: provproto.DeleteRequest) => {
      const name = resourceName(req.getUrn(), req.getType());
      await impl(name).delete(req.getId(), unwrapSecrets(fromStruct(req.getProperties())).values);
      return new Empty();
    }),

    invoke: handle(async (req: provproto.InvokeRequest) => {
      const tok = req.getTok();
      const fname = tok.startsWith(`${PACKAGE}:index:`) ? tok.slice(`${PACKAGE}:index:`.length) : "";
      const doc = FUNCTION_DOCS[fname];
      if (!doc) throw grpcError(grpc.status.INVALID_ARGUMENT, `unknown function ${tok}`);
      const args = unwrapSecrets(fromStruct(req.getArgs())).values;
      // The functions programs call (provider/functions.ts): one implementation for both.
      const functions = await import("../functions");
      const fn = functions[fname as keyof typeof functions] as (a: Obj) => Promise<unknown>;
      const res = new provproto.InvokeResponse();
      res.setReturn(toStruct({ [doc.result]: await fn(args) }));
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
