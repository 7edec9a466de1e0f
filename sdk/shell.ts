// The dynamic provider that a resource's `__provider` loads: state holds one `require` of
// its module in sdk/providers/ (sdk/props.ts), never a serialized closure. It holds no
// implementation: each method requires the installed package when it runs, so the code
// that runs is the package the program installed. Only the provider's process loads this
// module (the program registers the one-line string and never requires it).
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderContext, ResourceKind } from "../provider";

/** The installed package's provider module, loaded when a method runs (never when this module loads). */
const implementation = (): typeof import("../provider") => require("pulumi-ventus-axway/provider");

/** The dynamic provider of one resource, as stored in state: it runs the installed package's implementation. */
export function providerShell(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  // The settings of this provider's stack configuration, handed to every operation; until
  // `configure` runs (it always does first on current engines), the environment alone.
  let context: ProviderContext | undefined;
  const ctx = () => (context ??= implementation().dynamicContext(undefined));
  const operations = () => implementation().resources[kind].operations;
  return {
    async configure(req) {
      context = implementation().dynamicContext(req.config);
    },
    async check(olds, news) {
      return operations().check(ctx(), olds, news);
    },
    async diff(id, olds, news) {
      return operations().diff(id, olds, news);
    },
    async create(inputs) {
      return operations().create(ctx(), inputs);
    },
    async read(id, props) {
      return operations().read(ctx(), id, props);
    },
    async update(id, olds, news) {
      return operations().update(ctx(), id, olds, news);
    },
    async delete(id, props) {
      await operations().delete(ctx(), id, props);
    },
  };
}
