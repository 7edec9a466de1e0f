// Validates what a program asks getPortalOrganizations for, before any API call: each filter's
// field and op must be ones the portal knows, and a range op (`gete`, `gele`) takes "low,high".
import { z } from "zod";
import { FILTER_FIELDS, FILTER_OPS, RANGE_OPS, type OrgFilter } from "./schemas";

const Filter = z
  .object({
    field: z.enum(FILTER_FIELDS, { error: `field must be one of ${FILTER_FIELDS.join(", ")}` }),
    op: z.enum(FILTER_OPS, { error: `op must be one of ${FILTER_OPS.join(", ")}` }),
    value: z.union([z.string(), z.number(), z.boolean()], { error: "value must be a string" }).transform(String),
  })
  .refine((f) => !(RANGE_OPS as readonly string[]).includes(f.op) || /^[^,]+,[^,]+$/.test(f.value), {
    message: 'value for a range op (gete, gele) must be "low,high"',
    path: ["value"],
  });

const Query = z.object({
  filters: z.array(Filter).default([]),
  logic: z.enum(["AND", "OR"], { error: "logic must be AND or OR" }).optional(),
});

export function parseOrganizationQuery(args: unknown): { filters: OrgFilter[]; logic?: "AND" | "OR" } {
  const r = Query.safeParse(args ?? {});
  if (!r.success) {
    const i = r.error.issues[0];
    const where = i.path
      .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
      .join("")
      .replace(/^\./, "");
    throw new Error(`getPortalOrganizations: ${where}: ${i.message}`);
  }
  return r.data;
}
