// Turns declarations (from YAML, see declarations.ts) into the provider's resources, inside a
// Pulumi program. Resource names come from the keys the files state:
//
//   organization       <org key>                 PortalOrganization
//   API grant          <org key>/<API name>      OrganizationApiAccess
//   registration code  <org key>/<code key>      RegistrationToken
//   Ventus project     <project key>             VentusProject
//
// so moving an entry within or between files, or renaming an organization's display name,
// changes no URN and replaces nothing.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { RegistrationToken as Code } from "../provider/clients/axway/schemas";
import { SettingsError } from "../provider/config";
import { programContext } from "../provider/functions";
import { registrationCodeId } from "../provider/resources";
import { getPortalApis } from "../sdk";
import { OrganizationApiAccess } from "../sdk/organizationApiAccess";
import { PortalOrganization } from "../sdk/portalOrganization";
import { RegistrationToken } from "../sdk/registrationToken";
import { VentusProject } from "../sdk/ventusProject";
import { DeclarationError, loadDeclarations, type Declarations } from "./declarations";

export interface DeclaredResources {
  organizations: Record<string, PortalOrganization>;
  apiAccess: Record<string, OrganizationApiAccess>;
  registrationCodes: Record<string, RegistrationToken>;
  ventusProjects: Record<string, VentusProject>;
}

/** Declares one resource per organization, grant, code and project. */
export function declareResources(d: Declarations, opts: pulumi.CustomResourceOptions = {}): DeclaredResources {
  const out: DeclaredResources = { organizations: {}, apiAccess: {}, registrationCodes: {}, ventusProjects: {} };
  const codes = new CodeReferences();
  // One listing of the portal's frontend APIs resolves every name, made when the first grant needs it.
  let apis: ReturnType<typeof getPortalApis> | undefined;
  const apiId = async (name: string): Promise<string> => {
    apis ??= getPortalApis();
    const exact = (await apis).filter((a) => a.name === name);
    if (exact.length !== 1) {
      throw new pulumi.RunError(`apis: expected one frontend API named "${name}" on the portal, found ${exact.length}`);
    }
    return exact[0].id;
  };

  for (const o of d.organizations) {
    const org = new PortalOrganization(
      o.key,
      {
        name: o.name,
        description: o.description,
        email: o.email,
        phone: o.phone,
        enabled: o.enabled,
        development: o.development,
        restricted: o.restricted,
        virtualHost: o.virtualHost,
        isTrial: o.isTrial,
        trialDuration: o.trialDuration,
        startTrialDate: o.startTrialDate,
        endTrialDate: o.endTrialDate,
        // Relative to the program's folder, as the provider reads it, so that state holds no machine's paths.
        image: o.image === undefined ? undefined : path.relative(process.cwd(), o.image),
        importId: o.importId,
        customProperties: o.customProperties,
      },
      opts,
    );
    out.organizations[o.key] = org;
    for (const g of o.apis) {
      const name = `${o.key}/${g.apiName}`;
      out.apiAccess[name] = new OrganizationApiAccess(
        name,
        { organizationId: org.id, apiId: apiId(g.apiName), enabled: g.enabled, importId: g.importId },
        opts,
      );
    }
    for (const c of o.registrationCodes) {
      const name = `${o.key}/${c.key}`;
      out.registrationCodes[name] = new RegistrationToken(
        name,
        {
          organizationId: org.id,
          userQuota: c.userQuota,
          expiry: c.expiry,
          enabled: c.enabled,
          importId: c.importId === undefined ? undefined : codes.adopt(o.importId ?? org.id, c.importId, name),
        },
        opts,
      );
    }
  }
  for (const p of d.ventusProjects) {
    out.ventusProjects[p.key] = new VentusProject(
      p.key,
      { name: p.name, region: p.region, organizationId: p.organizationId, importId: p.importId },
      opts,
    );
  }
  return out;
}

/**
 * `loadDeclarations(dir)` then `declareResources`, for a program's top level: a problem in the
 * files ends the program with its `file:line:column` lines (no stack trace) before any
 * resource is declared, so nothing is called on either service.
 */
export function declareFromFolder(dir: string, opts: pulumi.CustomResourceOptions = {}): DeclaredResources {
  let d: Declarations;
  try {
    d = loadDeclarations(dir);
  } catch (err) {
    if (err instanceof DeclarationError) {
      throw new pulumi.RunError(`the declarations in ${dir} have ${err.problems.length} problem(s):\n${err.message}`);
    }
    throw err;
  }
  return declareResources(d, opts);
}

/**
 * Registration codes adopted by reference: the YAML names a code by its resource id
 * (`regcode-<hash>`), and the code itself, which `RegistrationToken`'s `importId` takes, is found
 * in its organization's listing (one call per organization) and handed on as a secret.
 */
class CodeReferences {
  private readonly listings = new Map<string, Promise<Code[]>>();

  adopt(organizationId: pulumi.Input<string>, reference: string, resource: string): pulumi.Output<string> {
    return pulumi.secret(
      pulumi.output(organizationId).apply(async (orgId) => {
        const code = (await this.codesOf(orgId)).find((c) => registrationCodeId(c.token) === reference);
        if (!code) throw new pulumi.RunError(`${resource}: importId: organization ${orgId} has no registration code ${reference}`);
        return code.token;
      }),
    );
  }

  private codesOf(orgId: string): Promise<Code[]> {
    let listing = this.listings.get(orgId);
    if (!listing) {
      let client;
      try {
        client = programContext().axway();
      } catch (err) {
        if (err instanceof SettingsError) throw new pulumi.RunError(`registration codes: ${err.problems.join("; ")}`);
        throw err;
      }
      listing = client.listTokens(orgId);
      this.listings.set(orgId, listing);
    }
    return listing;
  }
}
