// Just enough HTML-form handling for the portal: `application/x-www-form-urlencoded`
// (POST /login) and `multipart/form-data` (POST /organizations/{id}/image, field `file`),
// plus the Cookie request header. node: built-ins only.

/** A malformed form body; answered with 400. */
export class FormError extends Error {
  override readonly name = "FormError";
}

export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Parameters of a header value such as `multipart/form-data; boundary="x"` (keys lower-cased). */
export function headerParams(value: string): { value: string; params: Record<string, string> } {
  const [first, ...rest] = splitOutsideQuotes(value, ";");
  const params: Record<string, string> = {};
  for (const piece of rest) {
    const eq = piece.indexOf("=");
    if (eq < 0) continue;
    const key = piece.slice(0, eq).trim().toLowerCase();
    let val = piece.slice(eq + 1).trim();
    if (val.startsWith('"') && val.endsWith('"') && val.length >= 2) {
      val = val.slice(1, -1).replace(/\\(.)/g, "$1");
    }
    params[key] = val;
  }
  return { value: first.trim().toLowerCase(), params };
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' && text[i - 1] !== "\\") quoted = !quoted;
    if (ch === separator && !quoted) {
      out.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out;
}

/** Media type of a Content-Type header, lower case, without parameters ("" when absent). */
export function mediaType(contentType: string | string[] | undefined): string {
  const raw = Array.isArray(contentType) ? contentType[0] : contentType;
  return raw ? headerParams(raw).value : "";
}

export function parseUrlEncoded(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString("utf8"));
}

const CRLF = Buffer.from("\r\n");

/** Split a multipart/form-data body into its parts. Throws FormError when it cannot. */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] {
  const boundary = headerParams(contentType).params["boundary"];
  if (!boundary) throw new FormError("multipart/form-data without a boundary parameter");
  const delimiter = Buffer.from(`--${boundary}`);
  // Every delimiter after the first is preceded by CRLF, which belongs to the delimiter.
  const next = Buffer.from(`\r\n--${boundary}`);

  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new FormError("multipart body does not contain its boundary");
  pos += delimiter.length;
  const parts: FormPart[] = [];
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // closing "--"
    pos = skipLineEnd(body, skipSpaces(body, pos));
    const headerEnd = body.indexOf("\r\n\r\n", pos);
    if (headerEnd < 0) throw new FormError("multipart part without a header terminator");
    const headers = parsePartHeaders(body.subarray(pos, headerEnd).toString("utf8"));
    const dataStart = headerEnd + 4;
    const dataEnd = body.indexOf(next, dataStart);
    if (dataEnd < 0) throw new FormError("multipart body is not terminated by its closing boundary");

    const disposition = headers["content-disposition"];
    if (!disposition) throw new FormError("multipart part without Content-Disposition");
    const { value, params } = headerParams(disposition);
    if (value !== "form-data" || params["name"] === undefined) {
      throw new FormError("multipart part is not form-data with a name");
    }
    parts.push({
      name: params["name"],
      ...(params["filename"] !== undefined ? { filename: params["filename"] } : {}),
      ...(headers["content-type"] !== undefined ? { contentType: headers["content-type"] } : {}),
      data: Buffer.from(body.subarray(dataStart, dataEnd)),
    });
    pos = dataEnd + next.length;
    if (pos > body.length) throw new FormError("multipart body ends inside a boundary");
  }
}

function skipSpaces(body: Buffer, pos: number): number {
  while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
  return pos;
}

function skipLineEnd(body: Buffer, pos: number): number {
  if (body.subarray(pos, pos + 2).equals(CRLF)) return pos + 2;
  throw new FormError("multipart boundary is not followed by CRLF");
}

function parsePartHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon < 0) throw new FormError(`malformed multipart header line '${line}'`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Cookies of a request, first value wins. */
export function parseCookies(header: string | string[] | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  for (const line of lines) {
    for (const pair of line.split(";")) {
      const eq = pair.indexOf("=");
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      let value = pair.slice(eq + 1).trim();
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
      if (name && !cookies.has(name)) cookies.set(name, value);
    }
  }
  return cookies;
}
