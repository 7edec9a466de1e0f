// This module's exports are the dynamic provider of one resource; see ventusProject.ts beside it.
import { providerShell } from "../shell";
export = providerShell("organizationApiAccess");
