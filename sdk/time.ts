import * as pulumi from "@pulumi/pulumi";
import { INVALID_DATE } from "../provider/rules";

/**
 * A point in time: an ISO 8601 date (`2030-03-07`, midnight UTC) or date-time with its time
 * zone (`2030-03-07T12:00:00Z`, `2030-03-07T13:00:00+01:00`), a `Date`, or epoch milliseconds
 * (a number). Any other string, a number in a string included, is an input error.
 */
export type TimeInput = Date | string | number;

/**
 * Dates do not survive Pulumi's serialization of inputs: send them as epoch milliseconds, which
 * any Date holds, whatever its year. A Date that holds no time (`new Date("garbage")`) is sent
 * as "Invalid Date", for check to name the field: getTime would give NaN instead.
 */
export function toTimeInput(v: pulumi.Input<TimeInput> | undefined): pulumi.Input<string | number> | undefined {
  if (v === undefined) return undefined;
  if (v instanceof Date) return millisOrMarker(v);
  if (typeof v === "string" || typeof v === "number") return v;
  return (pulumi.output(v) as pulumi.Output<unknown>).apply((x) => (x instanceof Date ? millisOrMarker(x) : (x as string | number)));
}

function millisOrMarker(d: Date): number | string {
  const ms = d.getTime();
  return Number.isNaN(ms) ? INVALID_DATE : ms;
}
