// What the SDK's dynamic resources register, from their descriptors: every input and output
// named (an output registered as undefined is read back from the provider), secret inputs
// wrapped, the secret outputs marked, as the plugin does from the same descriptor, and the
// one-line `__provider` that Pulumi's Node.js dynamic provider host loads.
import * as pulumi from "@pulumi/pulumi";
import { NPM_PACKAGE, dynamicType, outputOnly, secretFields, type ResourceDescriptor } from "../provider/resources/descriptor";

/**
 * What a resource stores as `__provider`, the code Pulumi's Node.js dynamic provider host loads
 * (`require-from-string`, then `handler()`): a `require` of the installed package's shell module
 * (sdk/providers/). `pulumi.dynamic.Resource` would store a serialized closure around the same
 * `require` instead, 283 bytes against about 75, twice per resource (inputs and outputs); the engine
 * rewrites the whole state after every step, so at 1,000 resources those bytes were 18% of each write.
 */
export function providerModule(d: Pick<ResourceDescriptor, "name">): string {
  const module = `${NPM_PACKAGE}/providers/${d.name[0]!.toLowerCase()}${d.name.slice(1)}`;
  return `exports.handler = () => require(${JSON.stringify(module)});`;
}

/**
 * The arguments of `pulumi.CustomResource` for one of the SDK's resources: the type
 * `pulumi.dynamic.Resource` would register (`pulumi-nodejs:dynamic/pulumi-ventus-axway:<Name>`, so
 * the URNs are the same), the props with the one-line `__provider`, the options with the secret
 * outputs. The classes extend `CustomResource` directly, as generated provider SDKs do: Pulumi records
 * the fourth frame above `Resource` as a resource's source position, which is then the program's line
 * that declares it (under `dynamic.Resource` it was the SDK's own class).
 */
export function dynamicResource(
  d: ResourceDescriptor,
  name: string,
  args: object,
  opts?: pulumi.CustomResourceOptions,
): [type: string, name: string, props: Record<string, unknown>, opts: pulumi.CustomResourceOptions] {
  return [dynamicType(d), name, { ...dynamicProps(d, args), __provider: providerModule(d) }, withSecretOutputs(d, opts)];
}

/** The properties of a resource: its inputs as declared (unknown names too: check names them), its outputs undefined. */
function dynamicProps(d: ResourceDescriptor, args: object): Record<string, unknown> {
  const props: Record<string, unknown> = Object.fromEntries(Object.keys(d.inputs.shape).map((k) => [k, undefined]));
  Object.assign(props, args);
  // An input is stored in state as given: a secret one (an adopted code) stays encrypted there too.
  for (const k of secretFields(d)) if (k in d.inputs.shape && props[k] !== undefined) props[k] = pulumi.secret(props[k]);
  for (const k of outputOnly(d)) props[k] = undefined;
  return props;
}

/** The options, with the descriptor's secret outputs added to the program's own. */
function withSecretOutputs(d: ResourceDescriptor, opts: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  const secret = secretFields(d);
  return secret.length ? { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...secret] } : opts;
}
