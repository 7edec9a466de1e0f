import * as pulumi from "@pulumi/pulumi";
import { INVALID_DATE } from "../provider/resources/rules";

/** A point in time: a Date, an ISO 8601 string, or epoch milliseconds. */
export type TimeInput = Date | string | number;

/**
 * Dates do not survive Pulumi's serialization of inputs: send them as ISO strings. A Date that
 * holds no time (`new Date("garbage")`) is sent as "Invalid Date", for check to name the field:
 * toISOString would throw a RangeError in the middle of the program instead.
 */
export function toTimeInput(v: pulumi.Input<TimeInput> | undefined): pulumi.Input<string | number> | undefined {
  if (v === undefined) return undefined;
  if (v instanceof Date) return isoOrMarker(v);
  if (typeof v === "string" || typeof v === "number") return v;
  return (pulumi.output(v) as pulumi.Output<unknown>).apply((x) => (x instanceof Date ? isoOrMarker(x) : (x as string | number)));
}

function isoOrMarker(d: Date): string {
  return Number.isNaN(d.getTime()) ? INVALID_DATE : d.toISOString();
}
