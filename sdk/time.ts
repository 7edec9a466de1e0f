import * as pulumi from "@pulumi/pulumi";

/** A point in time: a Date, an ISO 8601 string, or epoch milliseconds. */
export type TimeInput = Date | string | number;

/** Dates do not survive Pulumi's serialization of inputs: send them as ISO strings. */
export function toTimeInput(v: pulumi.Input<TimeInput> | undefined): pulumi.Input<string | number> | undefined {
  if (v === undefined) return undefined;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "string" || typeof v === "number") return v;
  return (pulumi.output(v) as pulumi.Output<unknown>).apply((x) => (x instanceof Date ? x.toISOString() : (x as string | number)));
}
