// `pulumi-ventus-axway/gitops`: declarations kept in YAML files, and the program that turns
// them into resources, and the export of a live estate as such files. The drift command lives in
// `pulumi-ventus-axway/drift`.
export {
  loadDeclarations,
  parseFile,
  formatProblem,
  DeclarationError,
  DeclarationFile,
  KEY_PATTERN,
  type Declarations,
  type DeclarationProblem,
  type OrganizationDeclaration,
  type ApiGrantDeclaration,
  type RegistrationCodeDeclaration,
  type VentusProjectDeclaration,
  type Origin,
  type Identity,
} from "./declarations";
export { declareResources, declareFromFolder, type DeclaredResources } from "./program";
export { exportEstate, ExportError, type ExportOptions, type ExportSummary } from "./export";
