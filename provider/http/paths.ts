// Request paths built from templates: each value percent-encoded (no value can climb to
// another resource), with a second spelling for messages in which secret segments show `***`.

/** A path with a second spelling for messages, where secret segments are masked. */
export interface RequestPath {
  path: string;
  display: string;
}

const SECRET = Symbol("secret path segment");
export interface SecretSegment {
  [SECRET]: string;
}
/** Marks a path segment (a registration code, say) that must never appear in errors or logs. */
export const secret = (value: string): SecretSegment => ({ [SECRET]: value });

/**
 * encodeURIComponent leaves `.` alone, so a value of `.` or `..` would become a dot-segment
 * that URL normalization removes (`/projects/..` is `/`): another resource entirely.
 */
function encodeSegment(value: string): string {
  return value === "." || value === ".." ? value.replace(/\./g, "%2E") : encodeURIComponent(value);
}

/** Builds a path from a template, percent-encoding each value: path`/projects/${id}`. */
export function path(strings: TemplateStringsArray, ...values: Array<string | number | SecretSegment>): RequestPath {
  let p = strings[0];
  let d = strings[0];
  values.forEach((v, i) => {
    if (typeof v === "object" && v !== null && SECRET in v) {
      p += encodeSegment(v[SECRET]);
      d += "***";
    } else {
      p += encodeSegment(String(v));
      d += encodeSegment(String(v));
    }
    p += strings[i + 1];
    d += strings[i + 1];
  });
  return { path: p, display: d };
}
