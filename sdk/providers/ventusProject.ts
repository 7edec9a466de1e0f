// This module's exports are VentusProject's dynamic provider. Being a module of the
// installed package, Pulumi's closure serializer stores it in state as a bare
// `require("pulumi-ventus-axway/providers/ventusProject")` (package.json "exports").
import { providerShell } from "../shell";
export = providerShell("ventusProject");
