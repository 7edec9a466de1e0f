// What the SDK's dynamic resources register, from their descriptors: every input and output
// named (an output registered as undefined is read back from the provider), secret inputs
// wrapped, and the secret outputs marked, as the plugin does from the same descriptor.
import * as pulumi from "@pulumi/pulumi";
import { outputOnly, secretFields, type ResourceDescriptor } from "../provider/resources/descriptor";

/** The properties of a resource: its inputs as declared (unknown names too: check names them), its outputs undefined. */
export function dynamicProps(d: ResourceDescriptor, args: object): Record<string, unknown> {
  const props: Record<string, unknown> = Object.fromEntries(Object.keys(d.inputs.shape).map((k) => [k, undefined]));
  Object.assign(props, args);
  // An input is stored in state as given: a secret one (an adopted code) stays encrypted there too.
  for (const k of secretFields(d)) if (k in d.inputs.shape && props[k] !== undefined) props[k] = pulumi.secret(props[k]);
  for (const k of outputOnly(d)) props[k] = undefined;
  return props;
}

/** The options, with the descriptor's secret outputs added to the program's own. */
export function withSecretOutputs(d: ResourceDescriptor, opts: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  const secret = secretFields(d);
  return secret.length ? { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...secret] } : opts;
}
