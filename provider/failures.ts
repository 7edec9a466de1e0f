// Service failures as people read them: one line that names the operation (a function, or a
// resource and what was done to it), the service's answer, and the settings to check. Nothing
// else reaches the terminal: no stack trace (the line holds all a person can act on), no dump
// of the error object. Settings are named as the caller's face spells them (`axway:password` in
// the TypeScript SDK, `ventus-axway:axwayPassword` through the plugin): the context says how.
import { NeedsApiAdministratorError } from "./clients/axway/errors";
import { AXWAY_SETTINGS, VENTUS_SETTINGS, type SettingSpec } from "./config";
import { ApiError, ResponseShapeError, failureKind } from "./http/errors";

/** A failure the services caused (an answer, or none): what this module puts in one line. */
export function isServiceFailure(err: unknown): err is ApiError | ResponseShapeError {
  return err instanceof ApiError || err instanceof ResponseShapeError;
}

/** How the caller's face names a setting (a ProviderContext does). */
export interface SettingNames {
  settingName(spec: SettingSpec): string;
}

/** What to check, in the settings' names, for the failures a setting can cause; undefined for the others. */
export function whatToCheck(err: ApiError, names: SettingNames): string | undefined {
  const settingName = (spec: SettingSpec) => names.settingName(spec);
  if (err instanceof NeedsApiAdministratorError) return undefined; // its message says it already
  const s = err.service === "ventus" ? VENTUS_SETTINGS : AXWAY_SETTINGS;
  const url =
    err.service === "axway" ? AXWAY_SETTINGS.url : err.path.startsWith("/get-tokens") ? VENTUS_SETTINGS.authUrl : VENTUS_SETTINGS.apiUrl;
  switch (failureKind(err)) {
    case "credentials":
      return `check ${settingName(s.username)} and ${settingName(s.password)}`;
    case "forbidden":
      return err.service === "ventus"
        ? `check the organization (organizationId, else ${settingName(VENTUS_SETTINGS.organizationId)}) and that ${settingName(s.username)} belongs to it`
        : `check that ${settingName(s.username)} may do this on the portal`;
    case "unreachable":
      return `check ${settingName(url)}`;
    case "tls":
      return `check ${settingName(url)} (https:// to a port that serves https), and ${settingName(s.caCertPath)} or ${settingName(s.insecureSkipVerify)} for a certificate this machine does not trust`;
    default:
      return undefined;
  }
}

/** `<the service's answer>; <what to check>`, on one line. */
export function failureText(err: ApiError | ResponseShapeError, names: SettingNames): string {
  const check = err instanceof ApiError ? whatToCheck(err, names) : undefined;
  return `${err.message}${check ? `; ${check}` : ""}`;
}

/** `<operation>: <the service's answer>; <what to check>`, on one line. */
export function failureLine(operation: string, err: ApiError | ResponseShapeError, names: SettingNames): string {
  return `${operation}: ${failureText(err, names)}`;
}

/**
 * A service failure of a resource operation, as the engine shows it: the line is the message,
 * and the stack, which @pulumi/pulumi's dynamic provider prints beside the message of a failed
 * read, diff or delete, is the line too, so nothing else appears.
 */
export class ServiceFailure extends Error {
  override readonly name = "ServiceFailure";
  constructor(line: string, options?: { cause?: unknown }) {
    super(line, options);
    Object.defineProperty(this, "stack", { value: line, enumerable: false, writable: true, configurable: true });
    echoes.add(`${line}: ${line}`);
  }
  override toString(): string {
    return this.message;
  }
}

/** What @pulumi/pulumi's dynamic provider would print of each ServiceFailure: `${err}: ${err.stack}`. */
const echoes = new Set<string>();

/**
 * In the dynamic provider's process: @pulumi/pulumi's dynamic provider prints a failed check,
 * diff, read or delete to stderr (`${err}: ${err.stack}`) beside the error it returns, and the
 * engine shows both. For a ServiceFailure the error is the whole line already: its echo is dropped.
 */
export function dropServiceFailureEchoes(): void {
  const print = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === "string" && echoes.delete(args[0])) return;
    print(...args);
  };
}

const OPERATIONS = ["check", "diff", "create", "read", "update", "delete"] as const;

/**
 * A resource's operations, each ending a service failure with one line naming the resource and
 * the operation (`PortalOrganization create: …`) and the settings as the caller's face names
 * them (every operation but diff is handed the context first); every other error passes
 * unchanged (an object created but not finished keeps its id and properties, a bug keeps its stack).
 */
export function withServiceFailures<P extends object>(resource: string, operations: P): P {
  const wrapped: Record<string, unknown> = { ...(operations as Record<string, unknown>) };
  for (const op of OPERATIONS) {
    const method = (operations as Record<string, unknown>)[op];
    if (typeof method !== "function") continue;
    wrapped[op] = async (...args: unknown[]) => {
      try {
        return await method.apply(operations, args);
      } catch (err) {
        if (!isServiceFailure(err)) throw err;
        const names = op === "diff" ? undefined : (args[0] as Partial<SettingNames> | undefined);
        const fallback: SettingNames = { settingName: (spec) => `${spec.key} (or ${spec.env})` };
        throw new ServiceFailure(failureLine(`${resource} ${op}`, err, names?.settingName ? (names as SettingNames) : fallback), {
          cause: err,
        });
      }
    };
  }
  return wrapped as P;
}
