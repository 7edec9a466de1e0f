// Projects (api.ventuscloud.eu, Dapr-style `/v1.0/invoke/<app>/method/...`): the listing per
// organization, and create, read, rename and delete per region.
import { randomBytes } from "node:crypto";
import type { EmulatorResponse } from "../types";
import { decode, error, parseJsonObject } from "./request";
import type { VentusCall, VentusProject, VentusStore } from "./store";

function view(p: VentusProject): { id: string; name: string } {
  return { id: p.id, name: p.name };
}

function newId(s: VentusStore): string {
  let id: string;
  do id = randomBytes(12).toString("hex");
  while (s.projects.has(id));
  return id;
}

/** The project a region-and-organization call names, when it is there. */
function findProject(s: VentusStore, { params, region, org }: VentusCall): VentusProject | undefined {
  const p = s.projects.get(decode(params.id!) ?? "");
  return p && p.region === region && p.org === org ? p : undefined;
}

export function listProjects(s: VentusStore, { org }: VentusCall): EmulatorResponse {
  const regions = s.behavior().ventusRegions;
  const listed = s.projects
    .listing()
    .filter((p) => p.org === org)
    // A project of a region no longer configured keeps its path form.
    .map((p) => ({ id: p.id, name: p.name, region: regions[p.region] ?? p.region }));
  return { status: 200, body: listed };
}

export function createProject(s: VentusStore, { params, region, org }: VentusCall): EmulatorResponse {
  const name = decode(params.name!);
  if (name === undefined) return error(400, "Project name is not valid percent-encoding");
  if (name.trim() === "") return error(400, "Project name must not be empty");
  const project: VentusProject = {
    id: newId(s),
    name,
    org: org!,
    region: region!,
    createdAt: new Date(s.now()).toISOString(),
  };
  s.projects.set(project.id, project);
  s.changed();
  return { status: 200, body: view(project) };
}

/** By id alone: any organization of the caller's. */
export function getProject(s: VentusStore, { params, region, user }: VentusCall): EmulatorResponse {
  const p = s.projects.get(decode(params.id!) ?? "");
  if (!p || p.region !== region || !user.organizations.includes(p.org)) {
    return error(404, "Project not found");
  }
  return { status: 200, body: view(p) };
}

export function renameProject(s: VentusStore, call: VentusCall): EmulatorResponse {
  const p = findProject(s, call);
  if (!p) return error(404, "Project not found");
  const body = parseJsonObject(call.req.body);
  if (!body || typeof body.name !== "string") {
    return error(400, 'Request body must be JSON: {"name":"..."}');
  }
  if (body.name.trim() === "") return error(400, "Project name must not be empty");
  const renamed = { ...p, name: body.name };
  s.projects.set(p.id, renamed);
  s.changed();
  return { status: 200, body: view(renamed) };
}

export function deleteProject(s: VentusStore, call: VentusCall): EmulatorResponse {
  const p = findProject(s, call);
  if (!p) return error(404, "Project not found");
  s.projects.delete(p.id);
  s.changed();
  // The seed shows only `HTTP/2 200`; some gateways put a word in the body.
  return s.behavior().nonJsonBodies ? { status: 200, body: "Project deleted" } : { status: 200 };
}
