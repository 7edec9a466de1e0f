// VentusProject: a project of a Ventus Cloud organization in one region.
// The organization and the region are part of every path, so changing either replaces
// the project; the name is renamed in place.
import { z } from "zod";
import { KNOWN_REGIONS, REGION_PATTERN, regionDisplayName, regionFromDisplay } from "../clients/ventus/schemas";
import { organizationDefaultSetting, type ProviderContext } from "../context";
import { compact, diffByRules, failure, readResult, settingsFailures, validate, type CheckResult } from "./common";
import { defineResource, field, replaceOn, updateOn, type ResourceOperations } from "./descriptor";
import { id, segmentName } from "../rules";

const ADOPT = "Adopt the existing project with this id instead of creating one (read at create only); its name is then set to `name`.";

export const VentusProjectInputs = z.object({
  organizationId: field(
    id().optional(),
    "Ventus organization that owns the project; defaults to {ventus:organizationId}, and the default is recorded, so changing that setting later replaces the project too.",
    { onChange: "replace" },
  ),
  region: field(
    z
      .string({ error: "region is required" })
      .transform((s) => s.trim().toLowerCase())
      .refine((r) => r.length <= 63 && REGION_PATTERN.test(r), {
        message: `must be a region name of letters, digits and dashes, such as ${KNOWN_REGIONS.join(", ")}`,
      }),
    "Region of the project: a name of letters, digits and dashes such as `eastern-switzerland`, `upper-austria` or `vienna` (or any region the service adds), in any case; kept lower case.",
    { onChange: "replace" },
  ),
  name: field(segmentName(), "Display name of the project; renamed in place. Not blank, `.` or `..` (it travels as a URL path segment)."),
  importId: field(id().optional(), ADOPT, { onChange: "none" }),
});

const VentusProjectOutputFields = z.object({
  regionName: field(z.string(), "The region as the service spells it, e.g. `Eastern-Switzerland`."),
});
/** The checked inputs: check records the default organization, so there always is one. */
export type VentusProjectInputs = z.output<typeof VentusProjectInputs> & { organizationId: string };

export type VentusProjectOutputs = VentusProjectInputs & {
  /** The region as the service's listing spells it, e.g. `Eastern-Switzerland`. */
  regionName: string;
};

const operations: ResourceOperations<VentusProjectInputs, VentusProjectOutputs> = {
  /** `news` as declared: anything, until this has checked it. */
  async check(ctx, _olds, news): Promise<CheckResult<VentusProjectInputs>> {
    const result = validate(VentusProjectInputs, news, { outputs: Object.keys(VentusProjectOutputFields.shape) });
    // The organization is recorded below, or check fails.
    const inputs = result.inputs as VentusProjectInputs;
    if (result.failures?.length) return { inputs, failures: result.failures };
    const failures = settingsFailures(() => ctx.ventus(), news); // at preview, before any call
    // The organization defaults to the `ventus:organizationId` setting; record it in the
    // inputs so that a later change of that setting shows up as a replacement.
    if (inputs.organizationId === undefined) {
      let org: string | undefined;
      failures.push(...settingsFailures(() => (org = ctx.ventusOrganizationDefault()), news, "organizationId"));
      if (org) inputs.organizationId = org;
      else if (failures.length === 0) {
        const reason = `organizationId: not set on the resource, and neither ${organizationDefaultSetting(ctx)} is set`;
        failures.push(failure(news, "organizationId", reason));
      }
    }
    return failures.length ? { inputs, failures } : { inputs };
  },

  async diff(_id, olds, news) {
    return diffByRules(olds, news, {
      replaceOn: replaceOn(ventusProject),
      updateOn: updateOn(ventusProject),
      normalize: (f, v) => (f === "region" && typeof v === "string" ? v.toLowerCase() : v),
    });
  },

  async create(ctx, inputs) {
    const { organizationId, region, name, importId } = inputs;
    const client = ctx.ventus();
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
  async read(ctx, id, props: Partial<VentusProjectOutputs> = {}) {
    const org = String(props.organizationId);
    const client = ctx.ventus();
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

  async update(ctx, id, olds, news) {
    const { organizationId, region, name, importId } = news;
    const project = olds.name === name ? { name } : await ctx.ventus().renameProject(organizationId, region, id, name);
    const regionName = typeof olds.regionName === "string" ? olds.regionName : regionDisplayName(region);
    return { outs: outputs(organizationId, region, project.name, regionName, importId) };
  },

  /** Delete that meets 404 succeeds: the project is gone either way. */
  async delete(ctx, id, props) {
    await ctx.ventus().deleteProject(String(props.organizationId), String(props.region), id);
  },
};

export const ventusProject = defineResource({
  name: "VentusProject",
  kind: "ventusProject",
  service: "ventus",
  description:
    "A project of a Ventus Cloud organization in one region. A new `organizationId` or `region` replaces the project; a new `name` renames it. The resource id is the project id.",
  inputs: VentusProjectInputs,
  outputs: VentusProjectOutputFields,
  importId: {
    form: "[<organizationId>/]<projectId>",
    parse(importId: string, ctx: ProviderContext) {
      const parts = importId.split("/");
      if (parts.length > 2 || parts.some((p) => !p)) return undefined;
      const organizationId = parts.length === 2 ? parts[0] : ctx.ventusOrganizationDefault();
      if (!organizationId)
        throw new Error(
          `VentusProject: the import id must be <organizationId>/<projectId>: there is no default organization (neither ${organizationDefaultSetting(ctx)} is set)`,
        );
      return { id: parts[parts.length - 1], props: { organizationId } };
    },
    of: (id, outputs) => `${String(outputs.organizationId)}/${id}`,
  },
  recovery: {
    describe: (i) => `project "${String(i.name)}" in ${String(i.region)}`,
    key: (i) => `${String(i.organizationId)}/${String(i.region)}/${String(i.name)}`,
    // Names are not unique: every project of that name and region (or the adopted id) is a candidate.
    async find(i, ctx) {
      const projects = await ctx.ventus().listProjects(String(i.organizationId));
      return projects
        .filter((p) => regionFromDisplay(p.region) === String(i.region) && (i.importId ? p.id === i.importId : p.name === String(i.name)))
        .map((p) => ({ id: p.id }));
    },
  },
  operations,
});

function outputs(organizationId: string, region: string, name: string, regionName: string, importId?: string): VentusProjectOutputs {
  return compact({ organizationId, region, name, regionName, importId });
}
