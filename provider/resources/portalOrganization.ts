// PortalOrganization: an organization of the Axway API Manager portal, with its JPEG image.
// Every documented writable field is managed: a field left out of the declaration means
// the portal's default (a full PUT would reset it anyway), so refresh finds drift in every
// field, the image included (by content hash), where Axway's own APIM-CLI misses several.
import { z } from "zod";
import { axwayClient } from "../clients";
import { AlreadyExistsError } from "../clients/axway/errors";
import type { Organization, OrganizationWrite } from "../clients/axway/schemas";
import { compact, diffByRules, failure, settingsFailures, validate, type CheckResult, type DiffResult } from "./common";
import { LIMITS, bool, count, email, epochMillis, id, imagePath, nonBlank, readImage, text } from "./rules";
import { PartialCreateError, readJpeg, sha256 } from "./values";

export const PortalOrganizationInputs = z.object({
  name: nonBlank(LIMITS.name),
  description: text(LIMITS.description).optional(),
  email: email().optional(),
  phone: text(LIMITS.short).optional(),
  enabled: bool().default(true),
  development: bool().default(false),
  restricted: bool().default(false),
  virtualHost: text(LIMITS.host)
    .refine((s) => !/\s|\//.test(s), { message: "must be a host name, without spaces or '/'" })
    .optional(),
  isTrial: bool().default(false),
  trialDuration: count("of days").optional(),
  startTrialDate: epochMillis().optional(),
  endTrialDate: epochMillis().optional(),
  /** Path to a JPEG file of at most 1 MiB; tracked by the hash of its content. */
  image: imagePath().optional(),
  importId: id().optional(),
});

/** Fields sent in the full-object PUT and compared on refresh. */
const MANAGED = [
  "name",
  "description",
  "email",
  "phone",
  "enabled",
  "development",
  "restricted",
  "virtualHost",
  "isTrial",
  "trialDuration",
  "startTrialDate",
  "endTrialDate",
] as const;
type Managed = Pick<OrganizationWrite, (typeof MANAGED)[number]>;

type Props = Record<string, unknown>;

/** What the SDK passes as undefined inputs, to be read back as outputs (`imageHash` is set by check). */
const OUTPUTS = ["imageHash", "imageUrl", "dn", "createdOn"];

export const portalOrganization = {
  async check(_olds: Props, news: Props): Promise<CheckResult<Props>> {
    const result = validate(PortalOrganizationInputs, news, { outputs: OUTPUTS });
    if (result.failures?.length) return result;
    const inputs = result.inputs!;
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
    const start = inputs.startTrialDate as number | undefined;
    const end = inputs.endTrialDate as number | undefined;
    if (start !== undefined && end !== undefined && end < start) {
      return { inputs, failures: [failure(news, "endTrialDate", "endTrialDate: must not be before startTrialDate")] };
    }
    const failures = settingsFailures(() => axwayClient(), news); // missing or bad settings fail here, at preview
    return failures.length ? { inputs, failures } : { inputs };
  },

  async diff(_id: string, olds: Props, news: Props): Promise<DiffResult> {
    return diffByRules(olds, news, { replaceOn: [], updateOn: [...MANAGED, "imageHash"] });
  },

  async create(inputs: Props): Promise<{ id: string; outs: Props }> {
    const client = axwayClient();
    const want = managedOf(inputs);
    let org: Organization;
    if (typeof inputs.importId === "string") {
      const found = await client.getOrganization(inputs.importId);
      if (!found) throw new Error(`importId: no organization ${inputs.importId} on the portal`);
      org = sameManaged(managedFromServer(found), want) ? found : await client.updateOrganization(found.id, want);
    } else {
      try {
        org = await client.createOrganization(want);
      } catch (err) {
        if (err instanceof AlreadyExistsError) {
          const existing = (await client.listOrganizations([{ field: "name", op: "eq", value: want.name }]))[0];
          throw new Error(
            `name: an organization named "${want.name}" already exists` +
              (existing ? ` (id ${existing.id}); to manage it, declare importId: "${existing.id}"` : ""),
          );
        }
        throw err;
      }
    }
    try {
      const imageHash = await syncImage(org.id, inputs, undefined);
      if (imageHash) org = (await client.getOrganization(org.id)) ?? org;
      return { id: org.id, outs: outputs(org, inputs, imageHash) };
    } catch (err) {
      const outs = outputs(org, inputs, undefined);
      throw new PartialCreateError(org.id, { ...outs, __provider: inputs.__provider }, err as Error);
    }
  },

  async read(id: string, props: Props): Promise<{ id?: string; props?: Props; inputs?: Props }> {
    const client = axwayClient();
    const org = await client.readOrganization(id, (listed) => sameManaged(managedFromServer(listed), managedOf(props)));
    if (!org) return {};
    // The image is compared only when it is managed; the portal has no way to remove one.
    let imageHash: string | undefined;
    if (props.imageHash !== undefined || props.image !== undefined) {
      const bytes = await client.getOrganizationImage(id);
      imageHash = bytes ? sha256(bytes) : undefined;
    }
    const outs = outputs(org, props, imageHash);
    const inputs = compact({ ...managedFromServer(org), image: props.image, imageHash, importId: props.importId });
    return { id, props: outs, inputs };
  },

  async update(id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
    const client = axwayClient();
    const want = managedOf(news);
    let org: Organization | undefined;
    if (!sameManaged(managedOf(olds), want)) org = await client.updateOrganization(id, want);
    const imageHash = await syncImage(id, news, olds.imageHash as string | undefined);
    if (imageHash !== olds.imageHash || !org) org = await client.getOrganization(id);
    if (!org) throw new Error(`organization ${id} disappeared during the update`);
    return { outs: outputs(org, news, imageHash ?? (olds.imageHash as string | undefined)) };
  },

  async delete(id: string): Promise<void> {
    await axwayClient().deleteOrganization(id);
  },
};

/** Uploads the declared image when its content differs from `current`; returns the hash now on the portal. */
async function syncImage(id: string, inputs: Props, current: string | undefined): Promise<string | undefined> {
  if (typeof inputs.image !== "string") return current;
  const jpeg = readJpeg(inputs.image);
  if (jpeg.sha256 === current) return current;
  await axwayClient().setOrganizationImage(id, jpeg.bytes);
  return jpeg.sha256;
}

function managedOf(p: Props): Managed & { name: string } {
  const out: Record<string, unknown> = {};
  for (const k of MANAGED) if (p[k] !== undefined && p[k] !== null) out[k] = p[k];
  return out as Managed & { name: string };
}

/** The server's organization in the declaration's terms: empty text is unset, absent flags are defaults. */
function managedFromServer(org: Organization): Managed & { name: string } {
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

function sameManaged(a: Props, b: Props): boolean {
  return MANAGED.every((k) => (a[k] ?? undefined) === (b[k] ?? undefined));
}

function outputs(org: Organization, inputs: Props, imageHash: string | undefined): Props {
  return compact({
    ...managedFromServer(org),
    image: inputs.image,
    imageHash,
    imageUrl: org.image ?? undefined,
    dn: org.dn ?? undefined,
    createdOn: org.createdOn ?? undefined,
    importId: inputs.importId,
  });
}
