// The dynamic provider that Pulumi serializes into state as `__provider`. It holds no
// implementation: each method requires the installed package when it runs, so state
// stays small, the code that runs is the package the program installed, and the closure
// serializer never has to serialize zod or undici (it cannot: pulumi/pulumi#5294).
// Each resource's shell is the whole export of a module in sdk/providers/, which an
// installed package serializes as one `require(...)`; a linked package (npm link,
// workspaces) serializes these methods by value instead, which works as well.
import type * as pulumi from "@pulumi/pulumi";

export function providerShell(kind: string): pulumi.dynamic.ResourceProvider {
  return {
    async configure(req) {
      require("pulumi-ventus-axway/provider").configure(req.config);
    },
    async check(olds, news) {
      return require("pulumi-ventus-axway/provider").resources[kind].check(olds, news);
    },
    async diff(id, olds, news) {
      return require("pulumi-ventus-axway/provider").resources[kind].diff(id, olds, news);
    },
    async create(inputs) {
      return require("pulumi-ventus-axway/provider").resources[kind].create(inputs);
    },
    async read(id, props) {
      return require("pulumi-ventus-axway/provider").resources[kind].read(id, props);
    },
    async update(id, olds, news) {
      return require("pulumi-ventus-axway/provider").resources[kind].update(id, olds, news);
    },
    async delete(id, props) {
      return require("pulumi-ventus-axway/provider").resources[kind].delete(id, props);
    },
  };
}
