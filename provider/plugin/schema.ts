// The Pulumi package schema of the `ventus-axway` provider plugin (GetSchema), from which Pulumi
// YAML type-checks programs, `pulumi import` writes code and `pulumi package add` generates SDKs.
//
// Resource inputs are generated from the resources' own zod input schemas (z.toJSONSchema: names,
// types, required, defaults), so the schema cannot drift from what `check` accepts; this file adds
// what zod does not know: a description for every property, and the outputs. A property without
// a description is an error (buildSchema throws; test/unit/provider/plugin/schema.test.ts runs it).
import { z } from "zod";
import { OrganizationApiAccessInputs } from "../resources/organizationApiAccess";
import { PortalOrganizationInputs } from "../resources/portalOrganization";
import { RegistrationTokenInputs } from "../resources/registrationToken";
import { VentusProjectInputs } from "../resources/ventusProject";
import { SETTING_DOCS, pluginSettings } from "./settings";

export const PACKAGE = "ventus-axway";
export const token = (name: string) => `${PACKAGE}:index:${name}`;

/** A Pulumi schema type reference or primitive, with its description. */
export interface PropertySpec {
  type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  $ref?: string;
  items?: Omit<PropertySpec, "description">;
  additionalProperties?: Omit<PropertySpec, "description">;
  oneOf?: Array<Omit<PropertySpec, "description">>;
  description?: string;
  default?: unknown;
  secret?: boolean;
  willReplaceOnChanges?: boolean;
}
type Props = Record<string, PropertySpec>;

const ref = (t: string): PropertySpec => ({ $ref: `#/types/${token(t)}` });
const epochMs = (description: string): PropertySpec => ({ type: "integer", description: `${description} (epoch milliseconds)` });
const TIME_INPUT =
  "an ISO 8601 date (`2031-01-01`, midnight UTC) or date-time with its zone (`2031-01-01T00:00:00Z`, `2031-01-01T01:00:00+01:00`), or epoch milliseconds (a number); kept as epoch milliseconds";

interface ResourceDoc {
  description: string;
  zod: z.ZodObject;
  /** Every input's description (each key of the zod schema). */
  inputs: Record<string, string>;
  /** Inputs whose change replaces the object. */
  replaceOn: string[];
  /** Every output: its type and description (inputs that are outputs too: type only when it differs). */
  outputs: Record<string, PropertySpec | string>;
  secretOutputs?: string[];
}

export const RESOURCE_DOCS: Record<string, ResourceDoc> = {
  VentusProject: {
    description:
      "A project of a Ventus Cloud organization in one region. A new `organizationId` or `region` replaces the project; a new `name` renames it. " +
      "The resource id is the project id; import with `pulumi import ventus-axway:index:VentusProject <name> [<organizationId>/]<projectId>`.",
    zod: VentusProjectInputs,
    inputs: {
      organizationId:
        "Ventus organization that owns the project; defaults to the provider's `ventusOrganizationId` (or `VENTUS_ORGANIZATION_ID`), and the default is recorded, so changing that setting later replaces the project too.",
      region:
        "Region of the project: a name of letters, digits and dashes such as `eastern-switzerland`, `upper-austria` or `vienna` (or any region the service adds), in any case; kept lower case.",
      name: "Display name of the project; renamed in place. Must not be blank.",
      importId:
        "Adopt the existing project with this id instead of creating one (read at create only). The `import` resource option and `pulumi import` do the same.",
    },
    replaceOn: ["organizationId", "region"],
    outputs: {
      organizationId: "string",
      region: "string",
      name: "string",
      regionName: { type: "string", description: "The region as the service spells it, e.g. `Eastern-Switzerland`." },
      importId: "string",
    },
  },
  PortalOrganization: {
    description:
      "An organization of the Axway API Manager portal. Every writable field is managed: a field left out means the portal's default, and a change made by hand to any field, the picture included, is drift that `pulumi up` puts back. " +
      "Nothing replaces an organization. Import with `pulumi import ventus-axway:index:PortalOrganization <name> <organizationId>`.",
    zod: PortalOrganizationInputs,
    inputs: {
      name: "Name of the organization, unique on the portal; a new name renames it (the `dn` follows).",
      description: "Description of the organization.",
      email: "Contact email address.",
      phone: "Contact phone number.",
      enabled: "Whether the organization is enabled. Default true.",
      development: "Whether the organization may develop APIs. Default false.",
      restricted: "Whether the organization is restricted. Default false.",
      virtualHost: "Virtual host of the organization: a host name, without spaces or `/`.",
      isTrial: "Whether the organization is on a trial. Default false.",
      trialDuration: "Length of the trial in days, 0 or more.",
      startTrialDate: `Start of the trial: ${TIME_INPUT}.`,
      endTrialDate: `End of the trial, not before its start: ${TIME_INPUT}.`,
      image:
        "Path of a JPEG file, relative to the program's folder, uploaded as the organization's picture and tracked by the SHA-256 of its content. Left out, whatever picture the organization has is kept (the portal cannot remove one).",
      importId:
        "Adopt the existing organization with this id instead of creating one (read at create only). The `import` resource option and `pulumi import` do the same.",
      customProperties:
        "Values of the installation's custom properties of organizations (`GET /config/customproperties`), by name: text, a number or true/false, kept as text. Checked against the definitions at preview (type, pattern, options, bounds, required); declared, every defined property is managed (one left out takes the portal's default) and a change by hand is drift. Left out, they are the portal's and kept as they are.",
    },
    replaceOn: [],
    outputs: {
      name: "string",
      description: "string",
      email: "string",
      phone: "string",
      enabled: "boolean",
      development: "boolean",
      restricted: "boolean",
      virtualHost: "string",
      isTrial: "boolean",
      trialDuration: "integer",
      startTrialDate: { type: "integer", description: "Start of the trial (epoch milliseconds)." },
      endTrialDate: { type: "integer", description: "End of the trial (epoch milliseconds)." },
      image: "string",
      imageHash: { type: "string", description: "SHA-256 of the picture uploaded from `image`, as last seen on the portal." },
      imageUrl: { type: "string", description: "URI of the organization's picture on the portal." },
      dn: { type: "string", description: "Distinguished name the portal gives the organization." },
      createdOn: epochMs("When the organization was created"),
      importId: "string",
      customProperties: {
        type: "object",
        additionalProperties: { type: "string" },
        description: "Values of the organization's custom properties, by name, as the portal keeps them (text).",
      },
    },
  },
  OrganizationApiAccess: {
    description:
      "Access of a portal organization to one frontend API (find its id with getPortalApis). A different `organizationId` or `apiId` replaces the grant; `enabled` changes in place. " +
      "Import with `pulumi import ventus-axway:index:OrganizationApiAccess <name> <organizationId>/<accessId>`.",
    zod: OrganizationApiAccessInputs,
    inputs: {
      organizationId: "Organization that gets the access.",
      apiId: "Id of the frontend API (`/proxies`) the organization gets access to.",
      enabled: "Whether the access is enabled. Default true.",
      importId:
        "Adopt the organization's existing grant with this id instead of creating one (read at create only). The `import` resource option and `pulumi import` do the same.",
    },
    replaceOn: ["organizationId", "apiId"],
    outputs: {
      organizationId: "string",
      apiId: "string",
      enabled: "boolean",
      state: { type: "string", description: "State of the grant as the portal reports it, e.g. `approved`." },
      createdBy: { type: "string", description: "Id of the portal user who granted the access." },
      createdOn: epochMs("When the access was granted"),
      importId: "string",
    },
  },
  RegistrationToken: {
    description:
      "A registration code with which people join a portal organization. The code is the output `token`, always secret; the resource id (`regcode-` and the first 20 hex digits of the code's SHA-256) reveals nothing of it. " +
      "Import with `pulumi import ventus-axway:index:RegistrationToken <name> <organizationId>/regcode-<hash>`.",
    zod: RegistrationTokenInputs,
    inputs: {
      organizationId: "Organization the code lets people join.",
      userQuota:
        "How many people may join with the code in all, 0 or more. Left out, the portal decides. It is compared with the portal's limit (`maxUsers`) only when that limit changed since last seen: a portal that caps the quota asked for plans nothing.",
      expiry: `When the code stops working: ${TIME_INPUT}. Must be in the future when the code is created or this value changed; a declared expiry that has since passed is left as it is.`,
      enabled: "Whether the code admits anyone. Default true.",
      importId:
        "Adopt an existing registration code: the code itself (kept secret). Prefer the `import` resource option with the code's resource id, which keeps the code out of the program.",
    },
    replaceOn: ["organizationId"],
    outputs: {
      organizationId: "string",
      token: { type: "string", description: "The code people type to join. Always secret." },
      userQuota: { type: "integer", description: "The declared quota as last applied; left undeclared, the limit the portal chose." },
      maxUsers: {
        type: "integer",
        description: "How many people the code admits in all, as the portal reports it (it may cap the quota asked for).",
      },
      remainingUsers: {
        type: "integer",
        description: "How many more people may join with the code: falls with every registration, never drift.",
      },
      expiry: epochMs("When the code stops working"),
      enabled: "boolean",
      createdOn: epochMs("When the code was created"),
      createdBy: { type: "string", description: "Id of the portal user who created the code." },
      importId: "string",
    },
    secretOutputs: ["token", "importId"],
  },
};

/** The types of the functions' results; `zod` names the schema whose fields they must list. */
export const TYPE_DOCS: Record<string, { description: string; properties: Props; required: string[] }> = {
  FlavorPrice: {
    description: "Price of one Ventus Cloud VM flavor.",
    properties: {
      id: { type: "string", description: "Flavor id." },
      name: { type: "string", description: "Flavor name, e.g. `VC-1`." },
      base: { type: "number", description: "Price per hour of the flavor." },
      windows: { type: "number", description: "Price per hour of the flavor with Windows, where the service lists one." },
    },
    required: ["id", "name", "base"],
  },
  CurrencyPrices: {
    description: "Ventus Cloud prices in one currency.",
    properties: {
      storage: { type: "number", description: "Price of storage." },
      flavors: { type: "array", items: ref("FlavorPrice"), description: "Prices of the VM flavors." },
    },
    required: ["storage", "flavors"],
  },
  VentusProjectInfo: {
    description: "A project of a Ventus Cloud organization.",
    properties: {
      id: { type: "string", description: "Project id: what `VentusProject`'s import takes." },
      name: { type: "string", description: "Display name." },
      region: { type: "string", description: "Region, lower case, as resources take it." },
      regionName: { type: "string", description: "Region as the service spells it." },
    },
    required: ["id", "name", "region", "regionName"],
  },
  PortalOrganizationFilter: {
    description: "One condition on the portal's organizations.",
    properties: {
      field: {
        type: "string",
        description:
          "`apiid`, `description`, `email`, `enabled` (value `enabled` or `disabled`), `createdOn` (epoch ms), `name` or `phone`.",
      },
      op: {
        type: "string",
        description: "`eq`, `ne`, `gt`, `lt`, `ge`, `le`, `like`, or the range op `gete` / `gele` (value `low,high`).",
      },
      value: { type: "string", description: "The value compared with." },
    },
    required: ["field", "op", "value"],
  },
  PortalOrganizationInfo: {
    description: "An organization of the Axway API Manager portal, as the portal lists it.",
    properties: {
      id: { type: "string", description: "Organization id: what `PortalOrganization`'s import and `organizationId` inputs take." },
      name: { type: "string", description: "Name, unique on the portal." },
      description: { type: "string", description: "Description." },
      email: { type: "string", description: "Contact email address." },
      image: { type: "string", description: "URI of the organization's picture." },
      restricted: { type: "boolean", description: "Whether the organization is restricted." },
      virtualHost: { type: "string", description: "Virtual host." },
      phone: { type: "string", description: "Contact phone number." },
      enabled: { type: "boolean", description: "Whether the organization is enabled." },
      development: { type: "boolean", description: "Whether the organization may develop APIs." },
      dn: { type: "string", description: "Distinguished name." },
      createdOn: { type: "number", description: "When it was created (epoch milliseconds)." },
      startTrialDate: { type: "number", description: "Start of the trial (epoch milliseconds)." },
      endTrialDate: { type: "number", description: "End of the trial (epoch milliseconds)." },
      trialDuration: { type: "number", description: "Length of the trial in days." },
      isTrial: { type: "boolean", description: "Whether the organization is on a trial." },
    },
    required: ["id", "name"],
  },
  PortalApi: {
    description: "A frontend (virtualized) API of the portal, as `GET /proxies` lists it.",
    properties: {
      id: { type: "string", description: "API id: what `OrganizationApiAccess.apiId` takes." },
      name: { type: "string", description: "Name of the API." },
      version: { type: "string", description: "Version of the API." },
      path: { type: "string", description: "Path the API is served under." },
      state: { type: "string", description: "State of the API, e.g. `published`." },
    },
    required: ["id", "name"],
  },
};

export const FUNCTION_DOCS: Record<string, { description: string; inputs: Props; required?: string[]; result: string; outputs: Props }> = {
  getPrices: {
    description: "Ventus Cloud prices, by currency.",
    inputs: {},
    result: "prices",
    outputs: {
      prices: { type: "object", additionalProperties: ref("CurrencyPrices"), description: "Prices by currency (`chf`, `eur`, …)." },
    },
  },
  getVentusProjects: {
    description: "Every project of a Ventus Cloud organization, e.g. to find the id of one made by hand before importing it.",
    inputs: {
      organizationId: { type: "string", description: "Defaults to the provider's `ventusOrganizationId` (or `VENTUS_ORGANIZATION_ID`)." },
    },
    result: "projects",
    outputs: {
      projects: { type: "array", items: ref("VentusProjectInfo"), description: "The projects of the organization, in every region." },
    },
  },
  getPortalOrganizations: {
    description: "Portal organizations visible to the configured user, filtered by the portal.",
    inputs: {
      filters: {
        type: "array",
        items: ref("PortalOrganizationFilter"),
        description: "Conditions; an unknown field or op is an error before any call.",
      },
      logic: { type: "string", description: "How the filters combine: `AND` (default) or `OR`." },
    },
    result: "organizations",
    outputs: {
      organizations: { type: "array", items: ref("PortalOrganizationInfo"), description: "The organizations that match the filters." },
    },
  },
  getPortalApis: {
    description: "Frontend APIs of the portal (`/proxies`), e.g. to find the `apiId` of an API by name.",
    inputs: { name: { type: "string", description: "Exact name of a frontend API." } },
    result: "apis",
    outputs: {
      apis: { type: "array", items: ref("PortalApi"), description: "The frontend APIs; only those of that name when `name` is given." },
    },
  },
};

/** Pulumi schema property from one property of a zod-generated JSON Schema (input side). */
export function fromJsonSchema(js: Record<string, unknown>, where: string): PropertySpec {
  const out: PropertySpec = {};
  const t = js.type;
  const primitive = (x: unknown): PropertySpec => {
    if (x === "string" || x === "number" || x === "integer" || x === "boolean") return { type: x };
    throw new Error(`${where}: no Pulumi type for JSON Schema type ${JSON.stringify(x)}`);
  };
  if (Array.isArray(t)) {
    const types = t.filter((x) => x !== "null");
    if (types.length === 1) Object.assign(out, primitive(types[0]));
    else out.oneOf = types.map(primitive);
  } else if (t === "array") {
    Object.assign(out, { type: "array", items: fromJsonSchema(js.items as Record<string, unknown>, `${where}[]`) });
  } else if (t === "object" && typeof js.additionalProperties === "object") {
    // A map (custom properties by name): Pulumi's `additionalProperties`.
    const values = fromJsonSchema(js.additionalProperties as Record<string, unknown>, `${where}{}`);
    Object.assign(out, { type: "object", additionalProperties: values });
  } else if (Array.isArray(js.enum)) {
    out.type = "string"; // the values belong in the description: Pulumi's enums are types of their own
  } else if (js.anyOf) {
    const parts = (js.anyOf as Array<Record<string, unknown>>).filter((p) => p.type !== "null");
    if (parts.length === 1) return { ...fromJsonSchema(parts[0], where), ...(js.default !== undefined ? { default: js.default } : {}) };
    out.oneOf = parts.map((p, i) => fromJsonSchema(p, `${where}|${i}`));
  } else {
    Object.assign(out, primitive(t));
  }
  if (js.default !== undefined) out.default = js.default;
  return out;
}

function describe(where: string, description: string | undefined): string {
  if (!description || !description.trim()) throw new Error(`${where} has no description`);
  return description;
}

function outputSpec(name: string, res: string, doc: ResourceDoc, inputs: Props): PropertySpec {
  const o = doc.outputs[name];
  const spec: PropertySpec = typeof o === "string" ? { type: o as PropertySpec["type"] } : { ...o };
  spec.description ??= inputs[name]?.description;
  describe(`${res}.${name} (output)`, spec.description);
  if (doc.secretOutputs?.includes(name)) spec.secret = true;
  return spec;
}

/** The whole package schema; throws when a property lacks a description or a zod field is undocumented. */
export function buildSchema(version: string): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (const [name, doc] of Object.entries(RESOURCE_DOCS)) {
    const js = z.toJSONSchema(doc.zod, { io: "input", unrepresentable: "throw" }) as {
      properties: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    const inputProperties: Props = {};
    for (const [prop, p] of Object.entries(js.properties)) {
      const spec = fromJsonSchema(p, `${name}.${prop}`);
      spec.description = describe(`${name}.${prop}`, (doc.zod.shape[prop] as z.ZodType).description ?? doc.inputs[prop]);
      if (doc.replaceOn.includes(prop)) spec.willReplaceOnChanges = true;
      if (doc.secretOutputs?.includes(prop)) spec.secret = true;
      inputProperties[prop] = spec;
    }
    for (const documented of Object.keys(doc.inputs)) {
      if (!(documented in inputProperties)) throw new Error(`${name}.${documented} is documented but is no input of the zod schema`);
    }
    const properties: Props = {};
    for (const prop of Object.keys(doc.outputs)) properties[prop] = outputSpec(prop, name, doc, inputProperties);
    resources[token(name)] = {
      description: doc.description,
      inputProperties,
      requiredInputs: js.required ?? [],
      properties,
      required: Object.keys(properties).filter((p) => (js.required ?? []).includes(p)),
    };
  }

  const types: Record<string, unknown> = {};
  for (const [name, t] of Object.entries(TYPE_DOCS)) {
    for (const [p, spec] of Object.entries(t.properties)) describe(`${name}.${p}`, spec.description);
    types[token(name)] = { type: "object", description: t.description, properties: t.properties, required: t.required };
  }

  const functions: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(FUNCTION_DOCS)) {
    for (const [p, spec] of [...Object.entries(f.inputs), ...Object.entries(f.outputs)]) describe(`${name}.${p}`, spec.description);
    functions[token(name)] = {
      description: f.description,
      ...(Object.keys(f.inputs).length ? { inputs: { properties: f.inputs, required: f.required ?? [] } } : {}),
      outputs: { properties: f.outputs, required: Object.keys(f.outputs) },
    };
  }

  const config: Props = {};
  for (const { spec, property } of pluginSettings()) {
    const d = SETTING_DOCS[spec.key];
    const env = `Environment variable \`${spec.env}\` when not set${spec.default ? `; default \`${spec.default}\`` : ""}.`;
    config[property] = {
      type: d?.type ?? "string",
      description: `${describe(`setting ${spec.key}`, d?.description)} ${env}`,
      ...(spec.secret ? { secret: true } : {}),
    };
  }

  return {
    name: PACKAGE,
    displayName: "Ventus Cloud and Axway API Manager",
    version,
    description: "Ventus Cloud projects and prices; Axway API Manager portal organizations, API access and registration codes.",
    keywords: ["pulumi", "ventus", "axway", "api-management", "category/cloud", "kind/native"],
    license: "Apache-2.0",
    config: { variables: config },
    provider: {
      description: "The ventus-axway provider: credentials and endpoints of both services (each falls back to its environment variable).",
      inputProperties: config,
      properties: {},
    },
    resources,
    types,
    functions,
  };
}
