// This module's exports are VentusProject's dynamic provider: a resource's `__provider` in
// state is `exports.handler = () => require("pulumi-ventus-axway/providers/ventusProject");`
// (package.json "exports"; sdk/props.ts). States written by earlier versions hold a serialized closure
// around the same `require`, which loads this module as well.
import { providerShell } from "../shell";
export = providerShell("ventusProject");
