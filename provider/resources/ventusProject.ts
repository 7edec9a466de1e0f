// VentusProject: a project of a Ventus Cloud organization in one region.
// The organization and the region are part of every path, so changing either replaces
// the project; the name is renamed in place.
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { z } from "zod";
import { ventusClient, ventusOrganizationDefault } from "../clients";
import { KNOWN_REGIONS, REGION_PATTERN, regionDisplayName, regionFromDisplay } from "../clients/ventus/schemas";
import { compact, diffByRules, failure, readResult, settingsFailures, validate, type CheckResult } from "./common";
import { id, segmentName } from "../rules";

export const VentusProjectInputs = z.object({
  organizationId: id().optional(),
  region: z
    .string({ error: "region is required" })
    .transform((s) => s.trim().toLowerCase())
    .refine((r) => r.length <= 63 && REGION_PATTERN.test(r), {
      message: `must be a region name of letters, digits and dashes, such as ${KNOWN_REGIONS.join(", ")}`,
    }),
  name: segmentName(),
  /** Adopt this existing project instead of creating one (the engine's `import` does not reach dynamic resources). */
  importId: id().optional(),
});
/** The checked inputs: check records the default organization, so there always is one. */
export type VentusProjectInputs = z.output<typeof VentusProjectInputs> & { organizationId: string };

export type VentusProjectOutputs = VentusProjectInputs & {
  /** The region as the service's listing spells it, e.g. `Eastern-Switzerland`. */
  regionName: string;
};

/** What the SDK passes as undefined inputs, to be read back as outputs. */
const OUTPUTS = ["regionName"];

export const ventusProject = {
  /** `news` as declared: anything, until this has checked it. */
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult<VentusProjectInputs>> {
    const result = validate(VentusProjectInputs, news, { outputs: OUTPUTS });
    // The organization is recorded below, or check fails.
    const inputs = result.inputs as VentusProjectInputs;
    if (result.failures?.length) return { inputs, failures: result.failures };
    const failures = settingsFailures(() => ventusClient(), news); // at preview, before any call
    // The organization defaults to the stack's `ventus:organizationId`; record it in the
    // inputs so that a later change of that setting shows up as a replacement.
    if (inputs.organizationId === undefined) {
      let org: string | undefined;
      failures.push(...settingsFailures(() => (org = ventusOrganizationDefault()), news, "organizationId"));
      if (org) inputs.organizationId = org;
      else if (failures.length === 0) {
        const reason = "organizationId: not set on the resource, and neither ventus:organizationId nor VENTUS_ORGANIZATION_ID is set";
        failures.push(failure(news, "organizationId", reason));
      }
    }
    return failures.length ? { inputs, failures } : { inputs };
  },

  async diff(_id, olds, news) {
    return diffByRules(olds, news, {
      replaceOn: ["organizationId", "region"],
      updateOn: ["name"],
      normalize: (f, v) => (f === "region" && typeof v === "string" ? v.toLowerCase() : v),
    });
  },

  async create(inputs) {
    const { organizationId, region, name, importId } = inputs;
    const client = ventusClient();
    if (importId) {
      const found = (await client.listProjects(organizationId)).find((p) => p.id === importId);
      if (!found || regionFromDisplay(found.region) !== region) {
        throw new Error(
          `importId: no project ${importId} in organization ${organizationId}, region ${region}` +
            (found ? ` (it is in ${found.region})` : ""),
        );
      }
      // The declaration wins, as after a Terraform import and apply.
      const project = found.name === name ? found : await client.renameProject(organizationId, region, importId, name);
      return { id: project.id, outs: outputs(organizationId, region, project.name, found.region, importId) };
    }
    const project = await client.createProject(organizationId, region, name);
    return { id: project.id, outs: outputs(organizationId, region, project.name, regionDisplayName(region)) };
  },

  /**
   * Refresh: the listing gives name and region of every project at once. The listing may lag
   * behind writes, so a project missing from it is asked for by id before it counts as deleted.
   */
  async read(id, props: Partial<VentusProjectOutputs> = {}) {
    const org = String(props.organizationId);
    const client = ventusClient();
    let found = (await client.listProjects(org)).find((p) => p.id === id);
    if (props.region === undefined) {
      if (!found) return {}; // an import by id knows neither region nor name: the listing is all there is to ask
    } else if (!found || found.name !== props.name) {
      // Missing, or renamed, may be the listing's lag: asked for by id before it is believed.
      const stateRegion = String(props.region);
      const direct = await client.getProject(stateRegion, id);
      if (!direct) return {};
      found = {
        id,
        name: direct.name,
        region: found?.region ?? (typeof props.regionName === "string" ? props.regionName : regionDisplayName(stateRegion)),
      };
    }
    const region = regionFromDisplay(found.region);
    const outs = outputs(org, region, found.name, found.region, props.importId);
    return readResult(id, outs, compact({ organizationId: org, region, name: found.name, importId: props.importId }));
  },

  async update(id, olds, news) {
    const { organizationId, region, name, importId } = news;
    const project = olds.name === name ? { name } : await ventusClient().renameProject(organizationId, region, id, name);
    const regionName = typeof olds.regionName === "string" ? olds.regionName : regionDisplayName(region);
    return { outs: outputs(organizationId, region, project.name, regionName, importId) };
  },

  /** Delete that meets 404 succeeds: the project is gone either way. */
  async delete(id, props) {
    await ventusClient().deleteProject(String(props.organizationId), String(props.region), id);
  },
} satisfies ResourceProvider<VentusProjectInputs, VentusProjectOutputs>;

function outputs(organizationId: string, region: string, name: string, regionName: string, importId?: string): VentusProjectOutputs {
  return compact({ organizationId, region, name, regionName, importId });
}
