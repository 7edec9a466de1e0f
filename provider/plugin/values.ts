// Property values as the engine sends them to a provider that accepts secrets: plain JSON in a
// protobuf Struct, where a secret is an object carrying Pulumi's secret signature and an unknown
// value (at preview) is a fixed string. The resource code takes plain values: secrets are
// unwrapped on the way in (remembering which properties held one) and wrapped again on the way out.
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** Pulumi's special-value signature key and the value that marks a secret (sdk/go/common/resource/sig). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

type Obj = Record<string, unknown>;

export function isSecret(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Obj)[SIG_KEY] === SECRET_SIG;
}

export function secret(value: unknown): Obj {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** A property map with every secret unwrapped, and the top-level properties that held one. */
export function unwrapSecrets(props: Obj): { values: Obj; secretKeys: Set<string> } {
  const secretKeys = new Set<string>();
  const values: Obj = {};
  for (const [k, v] of Object.entries(props)) {
    const found = { secret: false };
    values[k] = unwrap(v, found);
    if (found.secret) secretKeys.add(k);
  }
  return { values, secretKeys };
}

function unwrap(v: unknown, found: { secret: boolean }): unknown {
  if (isSecret(v)) {
    found.secret = true;
    return unwrap(v.value, found);
  }
  if (Array.isArray(v)) return v.map((x) => unwrap(x, found));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x, found)]));
  return v;
}

/** Wraps the named top-level properties as secrets (those absent are left absent). */
export function wrapSecrets(props: Obj, keys: Iterable<string>): Obj {
  const out = { ...props };
  for (const k of keys) if (out[k] !== undefined && !isSecret(out[k])) out[k] = secret(out[k]);
  return out;
}

/** A protobuf Struct, or {} for none (an import's read carries no properties). */
export function fromStruct(s: Struct | undefined): Obj {
  return (s?.toJavaScript() as Obj | undefined) ?? {};
}

/** To a Struct, leaving out what JSON cannot hold (undefined, functions) at any depth. */
export function toStruct(o: Obj): Struct {
  return Struct.fromJavaScript(plain(o) as never);
}

function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : plain(x)));
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === "object") {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined && typeof x !== "function") out[k] = plain(x);
    return out;
  }
  return v;
}
