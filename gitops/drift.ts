// Drift detection on Pulumi's Automation API: a refresh preview of the stack (`pulumi refresh
// --preview-only`, which reads every resource through the provider and changes nothing),
// read from the engine's event stream, plus a listing of each service for objects that the
// stack does not manage. `pulumi-ventus-axway/drift`; the `drift` command is cli.ts.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, Stack, type EngineEvent } from "@pulumi/pulumi/automation";
import { registrationCodeId } from "../provider/clients/axway/codeId";
import { LISTING_RECORD_ENV, ListingRecord } from "../provider/http/listingRecord";
import { finish, fromRefreshEvents, isManaged, shortType, type DriftReport } from "./report";
// The scan loads the provider's clients (zod, undici): imported once the refresh is under way, not before.
import type { ScanOptions, StateResource } from "./undeclared";

export interface DriftOptions {
  /** The Pulumi project folder (default: the working directory). */
  cwd?: string;
  /** Default: the folder's selected stack. */
  stack?: string;
  /** Resource operations at once, as `pulumi refresh --parallel`; the scan's calls at once too. */
  parallel?: number;
  /** Undeclared objects whose name matches one of these globs (`*` for any run of characters) are not reported. */
  ignore?: string[];
  /** Called as resources are read: how many so far, of how many in state. */
  onProgress?: (read: number, total: number) => void;
  /** Called as the scan for undeclared objects makes its own calls: how many done, of how many started. */
  onScanProgress?: (done: number, total: number) => void;
  /** Extra environment for the Pulumi CLI. */
  envVars?: Record<string, string>;
}

/**
 * What each step reads, and which decrypts: the state is exported without secrets (drift needs
 * ids and organization ids, never a code); the configuration is read without secrets, and only
 * the passwords of the settings drift uses are decrypted, for the scan's own calls. The refresh
 * (the provider) decrypts what the engine hands it, as any refresh does.
 */
export async function detectDrift(opts: DriftOptions = {}): Promise<DriftReport> {
  const workDir = opts.cwd ?? process.cwd();
  // A private folder where the refresh's provider processes record their listings, so the scan lists only what is missing.
  const recordDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-ventus-axway-drift-"));
  try {
    // PULUMI_SKIP_CONFIRMATIONS (common in pipelines) acts as --yes, which the CLI refuses with --preview-only.
    const envVars = { ...opts.envVars, PULUMI_SKIP_CONFIRMATIONS: "false", [LISTING_RECORD_ENV]: recordDir };
    // One workspace, so `pulumi version` runs once.
    const ws = await LocalWorkspace.create({ workDir, envVars });
    const stackName = opts.stack ?? (await ws.stack())?.name;
    if (!stackName) throw new Error(`no stack is selected in ${workDir}: pass --stack <name>`);
    const stack = await Stack.select(stackName, ws);
    const cli = (args: string[]) => runPulumi(ws.pulumiCommand.command, [...args, "--stack", stackName], workDir, envVars);

    // State and configuration are read, and the scan's code loaded, while the refresh runs: neither changes during a preview.
    const scan = import("./undeclared");
    const state = stateResources(cli);
    const config = scan.then((s) => stackConfig(cli, s.secretSettingKeys()));
    const project = ws.projectSettings().then((p) => p.name);
    let total: number | undefined;
    let read = 0;
    void state.then(
      (s) => {
        total = s.filter((r) => isManaged(r.type, r.custom)).length;
        opts.onProgress?.(read, total);
      },
      () => undefined,
    );
    const events: EngineEvent[] = [];
    await stack.previewRefresh({
      parallel: opts.parallel,
      onEvent: (e) => {
        events.push(e);
        const m = e.resOutputsEvent?.metadata;
        if (m && isManaged(m.type, m.old?.custom ?? m.new?.custom)) {
          read++;
          if (total !== undefined) opts.onProgress?.(read, total);
        }
      },
    });
    const { resources, drifted, deleted } = fromRefreshEvents(events);

    const [resolvedState, values, { faceContexts, findUndeclared }] = await Promise.all([state, config, scan]);
    // The stack's own settings, falling back to the environment as the provider does.
    const contexts = faceContexts(resolvedState, (key) => values[key]);
    const record = new ListingRecord(recordDir);
    record.refresh();
    const { undeclared, scanned } = await findUndeclared(resolvedState, contexts, (opts.ignore ?? []).map(glob), {
      record,
      parallel: opts.parallel ?? ENGINE_DEFAULT_PARALLEL,
      onProgress: opts.onScanProgress,
    });
    const managed = resolvedState.filter((r) => isManaged(r.type, r.custom)).length;
    return finish({
      project: await project,
      stack: stackName,
      resources: Math.max(resources, managed),
      scanned,
      drifted,
      deleted,
      undeclared,
    });
  } finally {
    fs.rmSync(recordDir, { recursive: true, force: true });
  }
}

/** The engine's default `--parallel`: four per core. */
const ENGINE_DEFAULT_PARALLEL = 4 * os.availableParallelism();

type Cli = (args: string[]) => Promise<string>;

/** The state as `pulumi stack export` gives it without `--show-secrets`: secret values stay encrypted. */
async function stateResources(cli: Cli): Promise<StateResource[]> {
  const exported = JSON.parse(await cli(["stack", "export"])) as { deployment?: { resources?: StateResource[] } };
  return exported.deployment?.resources ?? [];
}

/**
 * The stack's configuration, read without secrets; then only the secret settings drift uses
 * (the services' passwords) are decrypted, one `pulumi config get` each. Other secrets stay sealed.
 */
async function stackConfig(cli: Cli, secretSettings: Set<string>): Promise<Record<string, string | undefined>> {
  const all = JSON.parse(await cli(["config", "--json"])) as Record<string, { value?: string; secret?: boolean }>;
  const out: Record<string, string | undefined> = {};
  await Promise.all(
    Object.entries(all).map(async ([key, v]) => {
      if (!v.secret) out[key] = v.value;
      else if (secretSettings.has(key)) out[key] = (await cli(["config", "get", key])).replace(/\n$/, "");
    }),
  );
  return out;
}

/** Runs the Pulumi CLI as the Automation API does (its environment, non-interactive); its stdout. */
function runPulumi(command: string, args: string[], cwd: string, envVars: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args, "--non-interactive"],
      { cwd, env: { ...process.env, ...envVars, PULUMI_AUTOMATION_API: "true" }, maxBuffer: 1 << 30 },
      (err, stdout, stderr) => (err ? reject(new Error(`pulumi ${args.join(" ")}: ${err.message}\nstderr: ${stderr}`)) : resolve(stdout)),
    );
  });
}

/** `*` matches any run of characters, `?` one; the whole name must match; case-sensitive. */
export function glob(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

/** The scan for undeclared objects alone (gitops/undeclared.ts), loaded when called. */
export async function findUndeclared(
  ...args: Parameters<typeof import("./undeclared").findUndeclared>
): ReturnType<typeof import("./undeclared").findUndeclared> {
  return (await import("./undeclared")).findUndeclared(...args);
}

export type { ScanOptions };
export { shortType, registrationCodeId };
export {
  fromRefreshEvents,
  inputChanges,
  renderMarkdown,
  renderText,
  REPORT_SCHEMA_VERSION,
  type DriftReport,
  type DriftedResource,
  type DeletedResource,
  type FieldChange,
  type UndeclaredObject,
} from "./report";
