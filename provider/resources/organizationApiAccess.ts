// OrganizationApiAccess: an organization's access to one frontend API. The portal lets a
// grant change only `enabled`, so a different organization or API means a new grant.
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { z } from "zod";
import { axwayClient } from "../clients";
import { AlreadyExistsError } from "../clients/axway/errors";
import type { ApiAccess } from "../clients/axway/schemas";
import { compact, diffByRules, readResult, settingsFailures, validate, type CheckResult } from "./common";
import { bool, id } from "../rules";

export const OrganizationApiAccessInputs = z.object({
  organizationId: id(),
  apiId: id(),
  enabled: bool().default(true),
  importId: id().optional(),
});

export type OrganizationApiAccessInputs = z.output<typeof OrganizationApiAccessInputs>;
export type OrganizationApiAccessOutputs = OrganizationApiAccessInputs & { state?: string; createdBy?: string; createdOn?: number };

/** What the SDK passes as undefined inputs, to be read back as outputs. */
const OUTPUTS = ["state", "createdBy", "createdOn"];

export const organizationApiAccess = {
  /** `news` as declared: anything, until this has checked it. */
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult<OrganizationApiAccessInputs>> {
    const result = validate(OrganizationApiAccessInputs, news, { outputs: OUTPUTS });
    if (result.failures?.length) return result;
    const failures = settingsFailures(() => axwayClient(), news); // missing or bad settings fail at preview
    return failures.length ? { ...result, failures } : result;
  },

  async diff(_id, olds, news) {
    return diffByRules(olds, news, { replaceOn: ["organizationId", "apiId"], updateOn: ["enabled"] });
  },

  async create(inputs) {
    const client = axwayClient();
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

  async read(id, props: Partial<OrganizationApiAccessOutputs> = {}) {
    const org = String(props.organizationId);
    // The organization itself gone (with everything in it) reads as "gone" too.
    const access = await axwayClient().getApiAccess(
      org,
      id,
      (listed) => listed.apiId === props.apiId && (listed.enabled ?? true) === props.enabled,
    );
    if (!access) return {};
    const outs = outputs(org, access, props.importId);
    return readResult(id, outs, compact({ organizationId: org, apiId: access.apiId, enabled: outs.enabled, importId: props.importId }));
  },

  async update(id, olds, news) {
    const org = String(news.organizationId);
    const current: ApiAccess = compact({
      id,
      apiId: String(olds.apiId),
      state: olds.state,
      enabled: olds.enabled,
      createdBy: olds.createdBy,
      createdOn: olds.createdOn,
    });
    const access = await axwayClient().updateApiAccess(org, current, news.enabled !== false);
    return { outs: outputs(org, { ...current, ...access, id }, news.importId) };
  },

  /** Revoking a grant already gone, by hand or with its organization, succeeds. */
  async delete(id, props) {
    await axwayClient().revokeApiAccess(String(props.organizationId), id);
  },
} satisfies ResourceProvider<OrganizationApiAccessInputs, OrganizationApiAccessOutputs>;

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
