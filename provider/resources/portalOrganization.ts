// PortalOrganization: an organization of the Axway API Manager portal, with its JPEG image.
// Every documented writable field is managed: a field left out of the declaration means
// the portal's default (a full PUT would reset it anyway), so refresh finds drift in every
// field, the image included (by content hash), where Axway's own APIM-CLI misses several.
import { z } from "zod";
import { AlreadyExistsError } from "../clients/axway/errors";
import type { AxwayClient } from "../clients/axway/client";
import { checkCustomProperties, customPropertiesOf, customPropertiesToSend } from "../clients/axway/customProperties";
import type { Organization } from "../clients/axway/schemas";
import type { ProviderContext } from "../context";
import { PartialCreateError, compact, diffByRules, failure, readResult, settingsFailures, validate, type CheckResult } from "./common";
import { defineResource, field, metaOf, replaceOn, updateOn, type ResourceOperations } from "./descriptor";
import { LIMITS, TIME_INPUT, bool, count, email, epochMillis, id, imagePath, nonBlank, readImage, sha256, text } from "../rules";

export const PortalOrganizationInputs = z.object({
  name: field(nonBlank(LIMITS.name), "Name of the organization, unique on the portal; a new name renames it (the `dn` follows)."),
  description: field(text(LIMITS.description).optional(), "Description of the organization."),
  email: field(email().optional(), "Contact email address."),
  phone: field(text(LIMITS.short).optional(), "Contact phone number."),
  enabled: field(bool().default(true), "Whether the organization is enabled. Default true."),
  development: field(bool().default(false), "Whether the organization may develop APIs. Default false."),
  restricted: field(bool().default(false), "Whether the organization is restricted. Default false."),
  virtualHost: field(
    text(LIMITS.host)
      .refine((s) => !/\s|\//.test(s), { message: "must be a host name, without spaces or '/'" })
      .optional(),
    "Virtual host of the organization: a host name, without spaces or `/`.",
  ),
  isTrial: field(bool().default(false), "Whether the organization is on a trial. Default false."),
  trialDuration: field(count("of days").optional(), "Length of the trial in days, 0 or more."),
  startTrialDate: field(epochMillis().optional(), `Start of the trial: ${TIME_INPUT}.`, { outputType: "integer" }),
  endTrialDate: field(epochMillis().optional(), `End of the trial, not before its start: ${TIME_INPUT}.`, { outputType: "integer" }),
  image: field(
    imagePath().optional(),
    "Path of a JPEG file of at most 1 MiB, relative to the program's folder, uploaded as the organization's picture and tracked by the SHA-256 of its content (`imageHash`). Left out, whatever picture the organization has is kept (the portal cannot remove one).",
    { onChange: "none" },
  ),
  importId: field(id().optional(), "Adopt the existing organization with this id instead of creating one (read at create only).", {
    onChange: "none",
  }),
  customProperties: field(
    z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a custom property's name is letters, digits and _"),
        z
          .union([z.string(), z.number(), z.boolean()], { error: "must be text, a number or true/false" })
          .transform(String)
          .pipe(text(LIMITS.description)),
      )
      .optional(),
    "Values of the installation's custom properties of organizations (`GET /config/customproperties`), by name: text, a number or true/false, kept as text. Checked against the definitions at preview (type, pattern, options, bounds, required); declared, every defined property is managed (one left out takes the portal's default) and a change by hand is drift. Left out, they are the portal's and kept as they are.",
    { outputType: { type: "object", additionalProperties: { type: "string" } } },
  ),
});

const PortalOrganizationOutputFields = z.object({
  imageHash: field(z.string().optional(), "SHA-256 of the picture uploaded from `image`, as last seen on the portal.", {
    onChange: "update",
  }),
  imageUrl: field(z.string().optional(), "URI of the organization's picture on the portal."),
  dn: field(z.string().optional(), "Distinguished name the portal gives the organization."),
  createdOn: field(z.number().int().optional(), "When the organization was created (epoch milliseconds)."),
});

/** Fields sent in the full-object PUT and compared on refresh: the inputs that change in place (not the image's path). */
// The custom properties are top-level fields too, but handled apart (below).
const MANAGED = Object.entries(PortalOrganizationInputs.shape)
  .filter(([k, schema]) => (metaOf(schema)?.onChange ?? "update") === "update" && k !== "customProperties")
  .map(([k]) => k) as ReadonlyArray<Exclude<keyof z.output<typeof PortalOrganizationInputs>, "image" | "importId" | "customProperties">>;

/** The checked inputs: the schema's, and the hash of the image's content, which check adds. */
export type PortalOrganizationInputs = z.output<typeof PortalOrganizationInputs> & { imageHash?: string };
export type PortalOrganizationOutputs = PortalOrganizationInputs & { imageUrl?: string; dn?: string; createdOn?: number };
type Managed = Pick<PortalOrganizationInputs, (typeof MANAGED)[number]>;
type CustomValues = Record<string, string>;

const operations: ResourceOperations<PortalOrganizationInputs, PortalOrganizationOutputs> = {
  /** `news` as declared: anything, until this has checked it. */
  async check(ctx, _olds, news): Promise<CheckResult<PortalOrganizationInputs>> {
    const result = validate(PortalOrganizationInputs, news, { outputs: Object.keys(PortalOrganizationOutputFields.shape) });
    if (result.failures?.length) return result;
    const inputs: PortalOrganizationInputs = result.inputs!;
    if (typeof inputs.image === "string") {
      try {
        inputs.imageHash = sha256(readImage(inputs.image).bytes);
      } catch (err) {
        // Checked by the schema a moment ago; only a file changed since lands here.
        return { inputs, failures: [failure(news, "image", `image: ${(err as Error).message}`)] };
      }
    } else {
      delete inputs.imageHash;
    }
    const { startTrialDate: start, endTrialDate: end } = inputs;
    if (start !== undefined && end !== undefined && end < start) {
      return { inputs, failures: [failure(news, "endTrialDate", "endTrialDate: must not be before startTrialDate")] };
    }
    const failures = settingsFailures(() => ctx.axway(), news); // missing or bad settings fail here, at preview
    if (failures.length) return { inputs, failures };
    return checkCustom(ctx, inputs, news);
  },

  async diff(_id, olds, news) {
    return diffByRules(olds, news, {
      replaceOn: replaceOn(portalOrganization),
      updateOn: updateOn(portalOrganization),
      // Left out, custom properties are the portal's: kept as they are, not compared.
      ignoreWhenUndeclared: ["customProperties"],
      normalize: (f, v) => (f === "customProperties" && isEmpty(v) ? undefined : v),
    });
  },

  async create(ctx, inputs) {
    const client = ctx.axway();
    const want = managedOf(inputs);
    /** What a write sends; undeclared, the values `kept` (an adopted organization's), or none on a create. */
    const custom = async (kept?: CustomValues) => {
      if (kept)
        return inputs.customProperties === undefined
          ? kept
          : customPropertiesToSend(await client.organizationCustomProperties(), inputs.customProperties);
      const defs = await client.organizationCustomProperties();
      if (inputs.customProperties !== undefined) return customPropertiesToSend(defs, inputs.customProperties);
      // Undeclared, they are the portal's; a required one without a default would be refused (400): said first.
      const { problems } = checkCustomProperties(defs, {});
      if (problems.length) throw new Error(`${problems.join("; ")}; declare customProperties`);
      return {};
    };
    let org: Organization;
    /** The hash of the picture already there: an adopted organization's is compared, not uploaded again. */
    let currentImage: string | undefined;
    if (typeof inputs.importId === "string") {
      const found = await client.getOrganization(inputs.importId);
      if (!found) throw new Error(`importId: no organization ${inputs.importId} on the portal`);
      const current = await customOf(ctx, found);
      const same =
        sameManaged(managedFromServer(found), want) &&
        (inputs.customProperties === undefined || sameCustom(current, inputs.customProperties));
      org = same ? found : await client.updateOrganization(found.id, want, await custom(current));
      if (typeof inputs.image === "string" && found.image) {
        const bytes = await client.getOrganizationImage(found.id);
        currentImage = bytes ? sha256(bytes) : undefined;
      }
    } else {
      try {
        org = await client.createOrganization(want, await custom());
      } catch (err) {
        if (err instanceof AlreadyExistsError) {
          const existing = (await client.listOrganizations([{ field: "name", op: "eq", value: want.name }]))[0];
          throw new Error(
            `name: an organization named "${want.name}" already exists` +
              (existing ? ` (id ${existing.id}); to manage it, declare importId: "${existing.id}"` : ""),
            { cause: err },
          );
        }
        throw err;
      }
    }
    try {
      const imageHash = await syncImage(client, org.id, inputs, currentImage);
      if (imageHash && imageHash !== currentImage) org = (await client.getOrganization(org.id)) ?? org;
      return { id: org.id, outs: outputs(org, inputs, imageHash, await customOf(ctx, org)) };
    } catch (err) {
      const outs = outputs(org, inputs, undefined, inputs.customProperties);
      // The engine's own input, the serialized provider, must stay in what it keeps.
      const provider = (inputs as Record<string, unknown>).__provider;
      throw new PartialCreateError(org.id, { ...outs, __provider: provider }, err as Error);
    }
  },

  async read(ctx, id, props: Partial<PortalOrganizationOutputs> = {}) {
    const client = ctx.axway();
    const org = await client.readOrganization(
      id,
      (listed) =>
        sameManaged(managedFromServer(listed), managedOf(props)) && sameCustom(customPropertiesOf(listed), props.customProperties),
    );
    if (!org) return {};
    const customProperties = await customOf(ctx, org);
    // The image is compared only when it is managed; the portal has no way to remove one.
    let imageHash: string | undefined;
    if (props.imageHash !== undefined || props.image !== undefined) {
      const bytes = await client.getOrganizationImage(id);
      imageHash = bytes ? sha256(bytes) : undefined;
    }
    const outs = outputs(org, props, imageHash, customProperties);
    return readResult(
      id,
      outs,
      compact({
        ...managedFromServer(org),
        image: props.image,
        imageHash,
        importId: props.importId,
        customProperties: outs.customProperties,
      }),
    );
  },

  async update(ctx, id, olds, news) {
    const client = ctx.axway();
    const want = managedOf(news);
    let org: Organization | undefined;
    const customChanged = news.customProperties !== undefined && !sameCustom(olds.customProperties, news.customProperties);
    if (!sameManaged(managedOf(olds), want) || customChanged) {
      // Undeclared, the values last read are sent back: a PUT that replaces the object would clear them.
      const custom =
        news.customProperties === undefined
          ? (olds.customProperties ?? {})
          : customPropertiesToSend(await client.organizationCustomProperties(), news.customProperties);
      org = await client.updateOrganization(id, want, custom);
    }
    const imageHash = await syncImage(client, id, news, olds.imageHash);
    if (imageHash !== olds.imageHash || !org) org = await client.getOrganization(id);
    if (!org) throw new Error(`organization ${id} disappeared during the update`);
    return { outs: outputs(org, news, imageHash ?? olds.imageHash, await customOf(ctx, org)) };
  },

  async delete(ctx, id) {
    await ctx.axway().deleteOrganization(id);
  },
};

export const portalOrganization = defineResource({
  name: "PortalOrganization",
  kind: "portalOrganization",
  service: "axway",
  description:
    "An organization of the Axway API Manager portal. Every writable field is managed: a field left out means the portal's default, and a change made by hand to any field, the picture included, is drift that `pulumi up --refresh` puts back. Nothing replaces an organization.",
  inputs: PortalOrganizationInputs,
  outputs: PortalOrganizationOutputFields,
  importId: {
    form: "<organizationId>",
    parse: (importId) => (importId && !importId.includes("/") ? { id: importId, props: {} } : undefined),
    of: (id) => id,
  },
  recovery: {
    describe: (i) => `organization "${String(i.name)}"`,
    key: (i) => String(i.importId ?? i.name),
    // The name is unique on the portal; an organization of that name whose other fields differ
    // from the declaration was not made by the create (someone else's).
    async find(i, ctx) {
      const client = ctx.axway();
      if (i.importId) {
        const org = await client.getOrganization(String(i.importId));
        return org ? [{ id: org.id }] : [];
      }
      const declared = i as Partial<Managed>;
      const defaults = managedFromServer({ name: String(i.name) } as Organization);
      const named = await client.listOrganizations([{ field: "name", op: "eq", value: String(i.name) }]);
      return named
        .filter((o) => o.name === i.name)
        .map((o) => {
          const now = managedFromServer(o);
          const differs = MANAGED.filter((k) => k !== "name" && (declared[k] ?? defaults[k]) !== now[k]);
          return differs.length ? { id: o.id, differs } : { id: o.id };
        });
    },
  },
  operations,
});

/** Uploads the declared image when its content differs from `current`; returns the hash now on the portal. */
async function syncImage(
  client: AxwayClient,
  id: string,
  inputs: PortalOrganizationInputs,
  current: string | undefined,
): Promise<string | undefined> {
  if (typeof inputs.image !== "string") return current;
  const { bytes } = readImage(inputs.image);
  const hash = sha256(bytes);
  if (hash === current) return current;
  await client.setOrganizationImage(id, bytes);
  return hash;
}

function managedOf(p: Partial<PortalOrganizationInputs>): Managed {
  const out: Record<string, unknown> = {};
  for (const k of MANAGED) if (p[k] !== undefined && p[k] !== null) out[k] = p[k];
  return out as Managed;
}

/**
 * The server's organization in the declaration's terms: empty text is unset, absent flags are
 * defaults. What refresh compares, and what `export` writes (gitops/export.ts).
 */
export function managedFromServer(org: Organization): Managed {
  const text = (v: string | null | undefined) => (v === null || v === undefined || v === "" ? undefined : v);
  const num = (v: number | null | undefined) => (v === null || v === undefined ? undefined : v);
  return compact({
    name: org.name,
    description: text(org.description),
    email: text(org.email),
    phone: text(org.phone),
    enabled: org.enabled ?? true,
    development: org.development ?? false,
    restricted: org.restricted ?? false,
    virtualHost: text(org.virtualHost),
    isTrial: org.isTrial ?? false,
    trialDuration: num(org.trialDuration),
    startTrialDate: num(org.startTrialDate),
    endTrialDate: num(org.endTrialDate),
  });
}

function sameManaged(a: Partial<Managed>, b: Partial<Managed>): boolean {
  return MANAGED.every((k) => (a[k] ?? undefined) === (b[k] ?? undefined));
}

function outputs(
  org: Organization,
  inputs: Partial<PortalOrganizationInputs>,
  imageHash: string | undefined,
  customProperties: CustomValues | undefined,
): PortalOrganizationOutputs {
  return compact({
    customProperties: isEmpty(customProperties) ? undefined : customProperties,
    ...managedFromServer(org),
    image: inputs.image,
    imageHash,
    imageUrl: org.image ?? undefined,
    dn: org.dn ?? undefined,
    createdOn: org.createdOn ?? undefined,
    importId: inputs.importId,
  });
}

// ---- custom properties (provider/clients/axway/customProperties.ts) ----------------------

/**
 * Declared custom properties against the installation's definitions (one GET per process): a
 * problem names the property and the rule, at preview; those left out take the portal's default.
 * Undeclared, they are the portal's, and nothing is asked at preview (a create checks the
 * required ones before its POST).
 */
async function checkCustom(
  ctx: ProviderContext,
  inputs: PortalOrganizationInputs,
  news: Record<string, unknown>,
): Promise<CheckResult<PortalOrganizationInputs>> {
  const declared = inputs.customProperties as unknown;
  if (declared === undefined) return { inputs };
  // Still unknown at preview (an output of another resource): checked at apply.
  if (typeof declared !== "object" || Object.values(declared!).some((v) => typeof v !== "string")) return { inputs };
  let defs;
  try {
    defs = await ctx.axway().organizationCustomProperties();
  } catch (err) {
    const reason = `customProperties: could not read the portal's definitions (GET /config/customproperties): ${(err as Error).message}`;
    return { inputs, failures: [failure(news, "customProperties", reason)] };
  }
  const { problems, values } = checkCustomProperties(defs, inputs.customProperties ?? {});
  if (problems.length) return { inputs, failures: problems.map((reason) => failure(news, "customProperties", reason)) };
  inputs.customProperties = values;
  return { inputs };
}

/** The organization's custom property values; the definitions are asked for only when it has candidates. */
async function customOf(ctx: ProviderContext, org: Organization): Promise<CustomValues> {
  const candidates = customPropertiesOf(org);
  if (isEmpty(candidates)) return {};
  return customPropertiesOf(org, await ctx.axway().organizationCustomProperties());
}

function sameCustom(a: CustomValues | undefined, b: CustomValues | undefined): boolean {
  const [x, y] = [a ?? {}, b ?? {}];
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  return [...keys].every((k) => x[k] === y[k]);
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "object" && Object.keys(v).length === 0);
}
