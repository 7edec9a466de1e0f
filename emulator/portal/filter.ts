// The list filter of the API Manager portal (`GET /organizations`, `GET /proxies`):
// repeated `field`, `op`, `value` query parameters, zipped in order, joined by
// `lop=AND|OR` (default AND). See shared/seeds/004_b42e427b93ed9fe0.txt.
//
// The seed spells the range operation `gete`; the Swagger document spells it `gele`.
// Both mean "lo <= x <= hi" with `value=lo,hi`; which spellings are accepted is the
// `rangeOp` option (Behavior.rangeOp), both by default.

export type FilterOp = "eq" | "ne" | "gt" | "lt" | "ge" | "le" | "like" | "gete";

const PLAIN_OPS: readonly FilterOp[] = ["eq", "ne", "gt", "lt", "ge", "le", "like"];

export interface FilterOptions {
  /** Accepted spelling(s) of the range op; the other one is an unknown op. Default `both`. */
  rangeOp?: "gete" | "gele" | "both";
}

/** How one filterable field of an item is read and compared. */
export type FieldSpec<T> =
  | { kind: "string"; get(item: T): string | null | undefined }
  | { kind: "number"; get(item: T): number | null | undefined }
  /** Compared with eq/ne only; `values` maps accepted query words to booleans. */
  | { kind: "boolean"; get(item: T): boolean | undefined; values: Readonly<Record<string, boolean>> }
  /** The item matches `eq x` when x is one of its values (e.g. the API ids an organization may use). */
  | { kind: "set"; get(item: T): readonly string[] };

export type FieldSpecs<T> = Readonly<Record<string, FieldSpec<T>>>;

/** A filter the caller got wrong; answered with 400. */
export class FilterError extends Error {
  override readonly name = "FilterError";
}

export type Predicate<T> = (item: T) => boolean;

/** Case-insensitive; `*` and `%` are wildcards when present, otherwise a substring match. */
export function likeMatches(candidate: string, pattern: string): boolean {
  if (/[*%]/.test(pattern)) {
    const source = pattern
      .split(/[*%]/)
      .map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    return new RegExp(`^${source}$`, "is").test(candidate);
  }
  return candidate.toLowerCase().includes(pattern.toLowerCase());
}

function compare<V extends string | number>(op: FilterOp, actual: V, wanted: V, upper?: V): boolean {
  switch (op) {
    case "eq":
      return actual === wanted;
    case "ne":
      return actual !== wanted;
    case "gt":
      return actual > wanted;
    case "lt":
      return actual < wanted;
    case "ge":
      return actual >= wanted;
    case "le":
      return actual <= wanted;
    case "gete":
      return actual >= wanted && upper !== undefined && actual <= upper;
    case "like":
      return likeMatches(String(actual), String(wanted));
  }
}

function splitRange(value: string, spelling: string): [string, string] {
  const parts = value.split(",");
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") {
    throw new FilterError(`Invalid value '${value}' for op '${spelling}': expected 'min,max'`);
  }
  return [parts[0], parts[1]];
}

function parseNumber(field: string, value: string): number {
  const n = value.trim() === "" ? NaN : Number(value);
  if (!Number.isFinite(n)) throw new FilterError(`Invalid value '${value}' for field '${field}': expected a number`);
  return n;
}

function term<T>(fieldName: string, spec: FieldSpec<T>, op: FilterOp, value: string, spelling: string): Predicate<T> {
  switch (spec.kind) {
    case "string": {
      if (op === "gete") {
        const [lo, hi] = splitRange(value, spelling);
        return (item) => {
          const actual = spec.get(item);
          return actual != null && compare(op, actual, lo, hi);
        };
      }
      // An absent value never equals, exceeds or resembles anything; it is "not equal" to everything.
      return (item) => {
        const actual = spec.get(item);
        return actual == null ? op === "ne" : compare(op, actual, value);
      };
    }
    case "number": {
      if (op === "like") throw new FilterError(`Op 'like' is not supported for field '${fieldName}'`);
      let lo: number;
      let hi: number | undefined;
      if (op === "gete") {
        const [a, b] = splitRange(value, spelling);
        lo = parseNumber(fieldName, a);
        hi = parseNumber(fieldName, b);
      } else {
        lo = parseNumber(fieldName, value);
      }
      return (item) => {
        const actual = spec.get(item);
        return actual == null ? op === "ne" : compare(op, actual, lo, hi);
      };
    }
    case "boolean": {
      if (op !== "eq" && op !== "ne") throw new FilterError(`Op '${spelling}' is not supported for field '${fieldName}'`);
      const wanted = spec.values[value.toLowerCase()];
      if (wanted === undefined) {
        throw new FilterError(`Invalid value '${value}' for field '${fieldName}': expected one of ${Object.keys(spec.values).join(", ")}`);
      }
      return (item) => ((spec.get(item) ?? false) === wanted) === (op === "eq");
    }
    case "set": {
      if (op === "eq") return (item) => spec.get(item).includes(value);
      if (op === "ne") return (item) => !spec.get(item).includes(value);
      if (op === "like") return (item) => spec.get(item).some((v) => likeMatches(v, value));
      throw new FilterError(`Op '${spelling}' is not supported for field '${fieldName}'`);
    }
  }
}

/**
 * Build a predicate from the query's `field`/`op`/`value`/`lop` parameters.
 * Field names and ops are matched case-insensitively. Throws FilterError on any mistake.
 */
export function buildFilter<T>(query: URLSearchParams, specs: FieldSpecs<T>, options: FilterOptions = {}): Predicate<T> {
  const rangeOp = options.rangeOp ?? "both";
  const ops = new Map<string, FilterOp>(PLAIN_OPS.map((op) => [op, op]));
  if (rangeOp !== "gele") ops.set("gete", "gete");
  if (rangeOp !== "gete") ops.set("gele", "gete");
  const opNames = [...ops.keys()].join(", ");
  const fields = query.getAll("field");
  const given = query.getAll("op");
  const values = query.getAll("value");
  if (fields.length !== given.length || given.length !== values.length) {
    throw new FilterError(
      `Mismatched filter parameters: ${fields.length} field, ${given.length} op and ${values.length} value; each filter needs all three`,
    );
  }
  const lopRaw = query.get("lop");
  const lop = lopRaw === null ? "AND" : lopRaw.toUpperCase();
  if (lop !== "AND" && lop !== "OR") throw new FilterError(`Unknown logical operation '${lopRaw}': expected AND or OR`);

  const byLowerName = new Map(Object.entries(specs).map(([name, spec]) => [name.toLowerCase(), { name, spec }]));
  const terms = fields.map((field, i) => {
    const entry = byLowerName.get(field.toLowerCase());
    if (!entry) {
      throw new FilterError(`Unknown filter field '${field}': expected one of ${Object.keys(specs).join(", ")}`);
    }
    const op = ops.get(given[i].toLowerCase());
    if (!op) throw new FilterError(`Unknown filter op '${given[i]}': expected one of ${opNames}`);
    return term(entry.name, entry.spec, op, values[i], given[i].toLowerCase());
  });
  if (terms.length === 0) return () => true;
  return lop === "AND" ? (item) => terms.every((t) => t(item)) : (item) => terms.some((t) => t(item));
}
