// What each language's SDK generator needs from the plugin's schema, so that the generated SDKs
// (sdk/go, sdk/python: scripts/gensdks.sh) compile as generated, and what `pulumi package add`
// would name them. Kept apart from schema.ts: these are packaging facts, not the resources' shape.
export const REPOSITORY = "https://github.com/pulumi-ventus-axway/pulumi-ventus-axway";
/** Go import path of the generated SDK: its folder under the repository's URL. */
export const GO_IMPORT_PATH = "github.com/pulumi-ventus-axway/pulumi-ventus-axway/sdk/go/ventusaxway";
export const PYTHON_PACKAGE = "pulumi_ventus_axway";
/** The TypeScript SDK of the dynamic resources is `pulumi-ventus-axway`; a generated one must not take that name. */
export const NODE_PACKAGE = "@pulumi-ventus-axway/ventus-axway";

/** Top-level schema fields: merged into buildSchema's result. */
export const LANGUAGE_FIELDS = {
  repository: REPOSITORY,
  publisher: "pulumi-ventus-axway",
  homepage: `${REPOSITORY}#readme`,
  // supportPack: each SDK is a package of its own (sdk/go/go.mod, sdk/python/pyproject.toml).
  meta: { moduleFormat: "(.*)", supportPack: true },
  language: {
    go: {
      importBasePath: GO_IMPORT_PATH,
      rootPackageName: "ventusaxway",
      generateResourceContainerTypes: true,
      respectSchemaVersion: true,
    },
    python: {
      packageName: PYTHON_PACKAGE,
      pythonRequires: ">=3.9",
      respectSchemaVersion: true,
      pyproject: { enabled: true },
    },
    nodejs: {
      packageName: NODE_PACKAGE,
      packageDescription: "Ventus Cloud and Axway API Manager portal resources, generated from the ventus-axway plugin's schema",
      respectSchemaVersion: true,
    },
  },
};
