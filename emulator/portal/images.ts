// An organization's picture (`/organizations/{id}/image`): a JPEG uploaded as the multipart
// field `file` (or, leniently, as a bare image/jpeg body), answered as image/jpeg.
import type { EmulatorResponse } from "../types";
import { requireManager, requireVisible } from "./auth";
import { mediaType, parseMultipart } from "./forms";
import { PortalError, type PortalCall, findOrganization } from "./request";
import { PORTAL_BASE, type PortalStore } from "./store";

/** Multipart framing adds little; a body far beyond the limit is refused before parsing. */
const MULTIPART_SLACK_BYTES = 64 * 1024;

export function imageUri(organizationId: string): string {
  return `${PORTAL_BASE}/organizations/${encodeURIComponent(organizationId)}/image`;
}

function isJpeg(data: Buffer): boolean {
  return data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
}

export function getImage(s: PortalStore, { params, auth }: PortalCall): EmulatorResponse {
  const org = findOrganization(s, params.id);
  requireVisible(auth.user, org);
  const data = s.images.get(org.id);
  if (!data) throw new PortalError(404, "The organization has no image");
  return { status: 200, headers: { "Content-Type": "image/jpeg" }, body: data };
}

export function setImage(s: PortalStore, { req, params, auth }: PortalCall): EmulatorResponse {
  const org = findOrganization(s, params.id);
  requireManager(auth.user, org);
  const { maxImageBytes } = s.limits;
  if (req.body.length > maxImageBytes + MULTIPART_SLACK_BYTES) throw new PortalError(413, "Request Entity Too Large");
  const contentType = String(req.headers["content-type"] ?? "");
  let data: Buffer;
  if (mediaType(contentType) === "multipart/form-data") {
    const file = parseMultipart(req.body, contentType).find((part) => part.name === "file");
    if (!file) throw new PortalError(400, "The form has no 'file' part");
    data = file.data;
  } else if (mediaType(contentType) === "image/jpeg") {
    data = req.body; // lenient: a bare JPEG body
  } else {
    throw new PortalError(400, "Expected multipart/form-data with a 'file' part");
  }
  if (data.length > maxImageBytes) throw new PortalError(413, "Request Entity Too Large");
  if (!isJpeg(data)) throw new PortalError(400, "The image must be a JPEG");
  s.images.set(org.id, Buffer.from(data));
  s.organizations.set(org.id, { ...org, image: imageUri(org.id) });
  s.changed();
  return s.behavior().nonJsonBodies ? { status: 200, body: "OK" } : { status: 204 };
}
