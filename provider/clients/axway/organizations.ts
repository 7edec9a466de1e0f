// Portal organizations and their picture: server-side filters (with the range op's two
// spellings), reads a refresh shares, and a create that happens once even when its answer
// is lost.
import { Blob } from "node:buffer";
import { FormData } from "../../http/client";
import { path } from "../../http/paths";
import { createOnce } from "../../http/createOnce";
import { ApiError, orUndefinedOn404, trueOr404 } from "../../http/errors";
import { SharedListings } from "../../http/sharedListings";
import type { ListingRecorder } from "../../http/listingRecord";
import { notFound, type PortalConnection } from "./auth";
import { CustomPropertiesConfig, organizationDefinitions, type CustomPropertyDefinitions } from "./customProperties";
import { checkSendable, isRangeOp, type RangeOp } from "./filters";

/** Custom property values by name, sent as top-level fields of the Organization; null clears one. */
export type CustomPropertyValues = Record<string, string | null>;
import {
  ORGANIZATION_WRITABLE_FIELDS,
  Organization,
  OrganizationList,
  oneOrArrayOfOne,
  type OrgFilter,
  type OrganizationWrite,
} from "./schemas";

const OrganizationAnswer = oneOrArrayOfOne(Organization);
// A PUT may answer with no body. Built here once: zod compiles each schema object on first use.
const OrganizationPutAnswer = OrganizationAnswer.optional();

export class Organizations {
  /** All organizations, one listing shared by the reads of a refresh (key ""). */
  private readonly listing: SharedListings<Organization>;
  /** Organizations this process created. */
  private readonly created = new Set<string>();
  /** The spelling of the range filter op this portal took last. */
  private rangeOp?: RangeOp;
  /** The installation's custom properties of organizations: configuration, read once per client. */
  private definitions?: Promise<CustomPropertyDefinitions>;

  constructor(
    private readonly portal: PortalConnection,
    listCacheMs: number,
    record?: ListingRecorder,
  ) {
    const list = () => this.list();
    // Recorded for drift: ids and names, all its scan of organizations needs.
    this.listing = new SharedListings(
      record ? record.recording("organizations", list, (o) => ({ id: o.id, name: o.name })) : list,
      listCacheMs,
    );
  }

  /** Whether this process created the organization (it then had no codes before). */
  createdHere(id: string): boolean {
    return this.created.has(id);
  }

  /**
   * Organizations visible to the user, filtered server-side; `logic` joins the filters (default AND).
   * The range op is spelled `gete` by the seed and `gele` by Axway's Swagger: either is taken,
   * and a portal that refuses one spelling (400) is asked once more with the other, which is
   * then used from the start.
   */
  async list(filters: OrgFilter[] = [], logic?: "AND" | "OR"): Promise<Organization[]> {
    checkSendable(filters);
    const list = (rangeOp?: RangeOp) => {
      const query = new URLSearchParams();
      for (const f of filters) {
        query.append("field", f.field);
        query.append("op", isRangeOp(f.op) && rangeOp ? rangeOp : f.op);
        query.append("value", f.value);
      }
      if (logic !== undefined) query.set("lop", logic);
      return this.portal.call({ method: "GET", path: "/organizations", query, schema: OrganizationList });
    };
    const ranged = filters.find((f) => isRangeOp(f.op));
    if (!ranged) return list();
    const first = this.rangeOp ?? (ranged.op as RangeOp);
    try {
      const result = await list(first);
      this.rangeOp = first;
      return result;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 400) throw err;
      const other: RangeOp = first === "gete" ? "gele" : "gete";
      const result = await list(other);
      this.rangeOp = other;
      return result;
    }
  }

  /** The organization, or undefined when the portal says 404. */
  /** The enabled custom properties of organizations (`GET /config/customproperties`, once); none on 404. */
  customPropertyDefinitions(): Promise<CustomPropertyDefinitions> {
    if (!this.definitions) {
      const config = orUndefinedOn404(
        this.portal.call({ method: "GET", path: "/config/customproperties", schema: CustomPropertiesConfig }),
      );
      this.definitions = config.then(organizationDefinitions);
      this.definitions.catch(() => (this.definitions = undefined)); // a failure is not kept
    }
    return this.definitions;
  }

  async get(id: string): Promise<Organization | undefined> {
    return orUndefinedOn404(this.portal.call({ method: "GET", path: path`/organizations/${id}`, schema: OrganizationAnswer }));
  }

  /**
   * The organization as a refresh reads it: from the listing that concurrent reads share (one
   * call for all of them). A listing may lag behind writes, so it is believed only where it
   * agrees with what the caller last saw (`unchanged`); an organization missing from it, or
   * changed in it, is read by id: drift is reported from fresh data only.
   */
  async read(id: string, unchanged: (listed: Organization) => boolean = () => true): Promise<Organization | undefined> {
    const listed = (await this.listing.get("")).find((o) => o.id === id);
    return listed && unchanged(listed) ? listed : this.get(id);
  }

  /**
   * Creates the organization once, even when an answer is lost: names are unique, so after
   * an attempt whose outcome is unknown the organization of that name is the one it made.
   */
  async create(body: OrganizationWrite, customProperties: CustomPropertyValues = {}): Promise<Organization> {
    const org = await this.portal.adminOnly(
      createOnce({
        attempt: () =>
          this.listing.write("", () =>
            this.portal.call({
              method: "POST",
              path: "/organizations",
              json: { ...writable(body), ...customProperties },
              schema: OrganizationAnswer,
            }),
          ),
        find: async () => (await this.list([{ field: "name", op: "eq", value: body.name }])).find((o) => o.name === body.name),
      }),
    );
    this.created.add(org.id);
    return org;
  }

  /**
   * Sets every writable field: one left out of `body` is sent as null. Neither document says
   * whether the portal's PUT replaces the object or merges into it; sent whole, with nulls
   * for what is unset, the result is the same either way. Custom properties travel as top-level
   * fields (null clears one).
   */
  async update(id: string, body: OrganizationWrite, customProperties: CustomPropertyValues = {}): Promise<Organization> {
    const whole = Object.fromEntries(ORGANIZATION_WRITABLE_FIELDS.map((k) => [k, body[k] ?? null]));
    const updated = await this.portal.adminOnly(
      this.listing.write("", () =>
        this.portal.call({
          method: "PUT",
          path: path`/organizations/${id}`,
          json: { id, ...whole, ...customProperties },
          schema: OrganizationPutAnswer,
        }),
      ),
    );
    return updated ?? (await this.get(id)) ?? notFound(path`/organizations/${id}`);
  }

  /**
   * Deletes the organization; false when already gone. `around` wraps the call in the writes
   * of what goes with it (its grants and codes), so that no listing of them outlives it.
   */
  async delete(id: string, around: (del: () => Promise<unknown>) => Promise<unknown> = (del) => del()): Promise<boolean> {
    const del = () => this.listing.write("", () => this.portal.call({ method: "DELETE", path: path`/organizations/${id}` }));
    return this.portal.adminOnly(trueOr404(around(del)));
  }

  /** The organization's JPEG, or undefined when it has none (404, or an empty answer). */
  async getImage(id: string): Promise<Buffer | undefined> {
    const data = await orUndefinedOn404(
      this.portal.call<Buffer>({
        method: "GET",
        path: path`/organizations/${id}/image`,
        headers: { accept: "image/jpeg, image/*;q=0.9, */*;q=0.1" },
        binary: true,
      }),
    );
    return data && data.length > 0 ? data : undefined;
  }

  /** Uploads a JPEG as the multipart field `file`. */
  async setImage(id: string, jpeg: Buffer): Promise<void> {
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(jpeg)], { type: "image/jpeg" }), "image.jpg");
    await this.listing.write("", () => this.portal.call({ method: "POST", path: path`/organizations/${id}/image`, body: form }));
  }
}

/** Only the writable fields: a whole `Organization` passed in must not send `image`, `dn` or `createdOn`. */
function writable(body: OrganizationWrite): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ORGANIZATION_WRITABLE_FIELDS) if (body[k] !== undefined) out[k] = body[k];
  return out;
}
