// The dynamic provider that Pulumi serializes into state as `__provider`. It holds no
// implementation: each method requires the installed package when it runs, so state
// stays small, the code that runs is the package the program installed, and the closure
// serializer never has to serialize zod or undici (it cannot: pulumi/pulumi#5294).
// Each resource's shell is the whole export of a module in sdk/providers/, which an
// installed package serializes as one `require(...)`; a linked package (npm link,
// workspaces) serializes these methods by value instead, which works as well.
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../provider";

/** The installed package's provider module, loaded when a method runs (never when this module loads). */
const implementation = (): typeof import("../provider") => require("pulumi-ventus-axway/provider");

/** The dynamic provider of one resource, as stored in state: it runs the installed package's implementation. */
export function providerShell(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  return {
    async configure(req) {
      implementation().configure(req.config);
    },
    async check(olds, news) {
      return implementation().resources[kind].check(olds, news);
    },
    async diff(id, olds, news) {
      return implementation().resources[kind].diff(id, olds, news);
    },
    async create(inputs) {
      return implementation().resources[kind].create(inputs);
    },
    async read(id, props) {
      return implementation().resources[kind].read(id, props);
    },
    async update(id, olds, news) {
      return implementation().resources[kind].update(id, olds, news);
    },
    async delete(id, props) {
      return implementation().resources[kind].delete(id, props);
    },
  };
}
