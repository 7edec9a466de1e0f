// The rules of an organization filter (`GET /organizations?field=…&op=…&value=…`), in one
// place: getPortalOrganizations checks a program's filters with them at preview, and the
// client refuses a field or op the portal does not know before sending anything.
import { z } from "zod";
import { LIMITS, text } from "../../rules";
import { FILTER_FIELDS, FILTER_OPS, RANGE_OPS, type OrgFilter } from "./schemas";

const Field = z.enum(FILTER_FIELDS, { error: `must be one of ${FILTER_FIELDS.join(", ")}` });
const Op = z.enum(FILTER_OPS, { error: `must be one of ${FILTER_OPS.join(", ")}` });

export type RangeOp = (typeof RANGE_OPS)[number];
export const isRangeOp = (op: string): op is RangeOp => (RANGE_OPS as readonly string[]).includes(op);

/** One filter as a program writes it; a range op (`gete`, `gele`) takes "low,high". */
export const OrganizationFilter = z
  .object({
    field: Field,
    op: Op,
    value: z.union([z.string(), z.number(), z.boolean()], { error: "must be a string" }).transform(String).pipe(text(LIMITS.description)),
  })
  .refine((f) => !isRangeOp(f.op) || /^[^,]+,[^,]+$/.test(f.value), {
    message: `for a range op (${RANGE_OPS.join(", ")}) must be "low,high"`,
    path: ["value"],
  });

export const OrganizationFilters = z
  .array(OrganizationFilter, { error: "must be a list of { field, op, value }" })
  .max(50, "must hold at most 50 filters")
  .default([]);

/** How the filters combine; the portal's default is AND. */
export const FilterLogic = z.enum(["AND", "OR"], { error: "must be AND or OR" });

/**
 * The client's check before sending: a field or op the portal does not know is the caller's
 * mistake (TypeError). Values are left to the portal, which answers 400 to one it refuses.
 */
export function checkSendable(filters: readonly OrgFilter[]): void {
  filters.forEach((f, i) => {
    for (const [key, rule] of [
      ["field", Field],
      ["op", Op],
    ] as const) {
      const r = rule.safeParse(f[key]);
      if (!r.success) throw new TypeError(`organization filter [${i}].${key} '${String(f[key])}': ${r.error.issues[0].message}`);
    }
  });
}
