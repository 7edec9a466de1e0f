// OrganizationApiAccess: an organization's access to one frontend API. The portal lets a
// grant change only `enabled`, so a different organization or API means a new grant.
import { z } from "zod";
import { AlreadyExistsError } from "../clients/axway/errors";
import type { ApiAccess } from "../clients/axway/schemas";
import { compact, diffByRules, readResult, settingsFailures, validate, type CheckResult } from "./common";
import { defineResource, field, replaceOn, updateOn, type ResourceOperations } from "./descriptor";
import { bool, id } from "../rules";

export const OrganizationApiAccessInputs = z.object({
  organizationId: field(id(), "Organization that gets the access.", { onChange: "replace" }),
  apiId: field(id(), "Id of the frontend API (`/proxies`) the organization gets access to; getPortalApis finds it by name.", {
    onChange: "replace",
  }),
  enabled: field(bool().default(true), "Whether the access is enabled. Default true."),
  importId: field(id().optional(), "Adopt the organization's existing grant with this id instead of creating one (read at create only).", {
    onChange: "none",
  }),
});

const OrganizationApiAccessOutputFields = z.object({
  state: field(z.string().optional(), "State of the grant as the portal reports it, e.g. `approved`."),
  createdBy: field(z.string().optional(), "Id of the portal user who granted the access."),
  createdOn: field(z.number().int().optional(), "When the access was granted (epoch milliseconds)."),
});

export type OrganizationApiAccessInputs = z.output<typeof OrganizationApiAccessInputs>;
export type OrganizationApiAccessOutputs = OrganizationApiAccessInputs & { state?: string; createdBy?: string; createdOn?: number };

const operations: ResourceOperations<OrganizationApiAccessInputs, OrganizationApiAccessOutputs> = {
  /** `news` as declared: anything, until this has checked it. */
  async check(ctx, _olds, news): Promise<CheckResult<OrganizationApiAccessInputs>> {
    const result = validate(OrganizationApiAccessInputs, news, { outputs: Object.keys(OrganizationApiAccessOutputFields.shape) });
    if (result.failures?.length) return result;
    const failures = settingsFailures(() => ctx.axway(), news); // missing or bad settings fail at preview
    return failures.length ? { ...result, failures } : result;
  },

  async diff(_id, olds, news) {
    return diffByRules(olds, news, { replaceOn: replaceOn(organizationApiAccess), updateOn: updateOn(organizationApiAccess) });
  },

  async create(ctx, inputs) {
    const client = ctx.axway();
    const org = String(inputs.organizationId);
    const apiId = String(inputs.apiId);
    const enabled = inputs.enabled !== false;
    let access: ApiAccess;
    if (typeof inputs.importId === "string") {
      const found = (await client.listApiAccess(org)).find((a) => a.id === inputs.importId);
      if (!found) throw new Error(`importId: organization ${org} has no API access ${inputs.importId}`);
      if (found.apiId !== apiId) throw new Error(`importId: API access ${found.id} is for API ${found.apiId}, not ${apiId}`);
      access = found;
    } else {
      try {
        access = await client.grantApiAccess(org, apiId, enabled);
      } catch (err) {
        if (err instanceof AlreadyExistsError) {
          const existing = (await client.listApiAccess(org)).find((a) => a.apiId === apiId);
          throw new Error(
            `apiId: organization ${org} already has access to API ${apiId}` +
              (existing ? `; to manage it, declare importId: "${existing.id}"` : ""),
            { cause: err },
          );
        }
        throw err;
      }
    }
    if ((access.enabled ?? true) !== enabled) access = await client.updateApiAccess(org, access, enabled);
    return { id: access.id, outs: outputs(org, access, inputs.importId) };
  },

  async read(ctx, id, props: Partial<OrganizationApiAccessOutputs> = {}) {
    const org = String(props.organizationId);
    // The organization itself gone (with everything in it) reads as "gone" too.
    const access = await ctx
      .axway()
      .getApiAccess(org, id, (listed) => listed.apiId === props.apiId && (listed.enabled ?? true) === props.enabled);
    if (!access) return {};
    const outs = outputs(org, access, props.importId);
    return readResult(id, outs, compact({ organizationId: org, apiId: access.apiId, enabled: outs.enabled, importId: props.importId }));
  },

  async update(ctx, id, olds, news) {
    const org = String(news.organizationId);
    const current: ApiAccess = compact({
      id,
      apiId: String(olds.apiId),
      state: olds.state,
      enabled: olds.enabled,
      createdBy: olds.createdBy,
      createdOn: olds.createdOn,
    });
    const access = await ctx.axway().updateApiAccess(org, current, news.enabled !== false);
    return { outs: outputs(org, { ...current, ...access, id }, news.importId) };
  },

  /** Revoking a grant already gone, by hand or with its organization, succeeds. */
  async delete(ctx, id, props) {
    await ctx.axway().revokeApiAccess(String(props.organizationId), id);
  },
};

export const organizationApiAccess = defineResource({
  name: "OrganizationApiAccess",
  kind: "organizationApiAccess",
  service: "axway",
  description:
    "Access of a portal organization to one frontend API (find its id with getPortalApis). A different `organizationId` or `apiId` replaces the grant; `enabled` changes in place.",
  inputs: OrganizationApiAccessInputs,
  outputs: OrganizationApiAccessOutputFields,
  importId: {
    form: "<organizationId>/<accessId>",
    parse(importId) {
      const parts = importId.split("/");
      return parts.length === 2 && parts.every(Boolean) ? { id: parts[1], props: { organizationId: parts[0] } } : undefined;
    },
    of: (id, outputs) => `${String(outputs.organizationId)}/${id}`,
  },
  recovery: {
    describe: (i) => `access of organization ${String(i.organizationId)} to API ${String(i.apiId)}`,
    key: (i) => `${String(i.organizationId)}/${String(i.apiId)}`,
    // One grant per API and organization.
    async find(i, ctx) {
      const grants = await ctx.axway().listApiAccess(String(i.organizationId));
      return grants.filter((g) => (i.importId ? g.id === i.importId : g.apiId === String(i.apiId))).map((g) => ({ id: g.id }));
    },
  },
  operations,
});

function outputs(organizationId: string, a: ApiAccess, importId: string | undefined): OrganizationApiAccessOutputs {
  return compact({
    organizationId,
    apiId: a.apiId,
    enabled: a.enabled ?? true,
    state: a.state,
    createdBy: a.createdBy,
    createdOn: a.createdOn,
    importId,
  });
}
