// Drift detection: a refresh preview of the stack (`pulumi refresh --preview-only`, which reads
// every resource through the provider and changes nothing), read from the engine's event log,
// plus a listing of each service for objects that the stack does not manage.
// `pulumi-ventus-axway/drift`; the `drift` command is cli.ts.
//
// The CLI is run directly, not through Pulumi's Automation API: the Automation API loads about
// 760 modules and runs `pulumi version` and `pulumi stack select` before the refresh, about 0.7 s
// of every run (BENCHMARKS.md section 7); the refresh's events are the same either way.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { StringDecoder } from "node:string_decoder";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { registrationCodeId } from "../provider/clients/axway/codeId";
import { LISTING_RECORD_ENV, ListingRecord } from "../provider/http/listingRecord";
import { finish, fromRefreshEvents, isManaged, shortType, type DriftReport } from "./report";
import { runPulumi, stackConfig, type ListedSetting } from "./stackConfig";
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
  /** Called as resources are read: how many so far. */
  onProgress?: (read: number) => void;
  /** Called as the scan for undeclared objects makes its own calls: how many done, of how many started. */
  onScanProgress?: (done: number, total: number) => void;
  /** Extra environment for the Pulumi CLI. */
  envVars?: Record<string, string>;
}

/**
 * What each step reads, and which decrypts: the state comes from the refresh's events, secrets
 * masked (drift needs ids and organization ids, never a code); the configuration from its prelude,
 * secrets masked, and only the passwords of the settings drift uses are decrypted, for the scan's
 * own calls. The refresh (the provider) decrypts what the engine hands it, as any refresh does.
 */
export async function detectDrift(opts: DriftOptions = {}): Promise<DriftReport> {
  const workDir = opts.cwd ?? process.cwd();
  // A private folder (mode 0700) for the refresh's event log, whose secrets are masked, and for the
  // listings the refresh's provider processes record, so that the scan lists only what is missing.
  const privateDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-ventus-axway-drift-"));
  try {
    // PULUMI_SKIP_CONFIRMATIONS (common in pipelines) acts as --yes, which the CLI refuses with --preview-only.
    const envVars = { ...opts.envVars, PULUMI_SKIP_CONFIRMATIONS: "false", [LISTING_RECORD_ENV]: privateDir };
    const stackArgs = opts.stack ? ["--stack", opts.stack] : [];
    const cli = (args: string[]) => runPulumi([...args, ...stackArgs], workDir, envVars);
    // The scan's code loads from now on, beside the refresh: the refresh does not wait for it.
    const scan = quiet(import("./undeclared"));

    // State and configuration come with the refresh's events: the resources as state holds them
    // (secrets masked), the configuration in the prelude (secrets masked). Of the secrets, only the
    // passwords drift uses are decrypted, one `pulumi config get` each, and only when the scan makes
    // a call of its own (none when the refresh listed everything and nothing is undeclared).
    let shown: Record<string, string> = {};
    let read = 0;
    const events: EngineEvent[] = [];
    const eventLog = path.join(privateDir, "events.jsonl");
    const parallel = opts.parallel ? ["--parallel", String(opts.parallel)] : [];
    await followEventLog(eventLog, cli(["refresh", "--preview-only", "--event-log", eventLog, ...parallel]), (e) => {
      events.push(e);
      if (e.preludeEvent) shown = e.preludeEvent.config;
      const m = e.resOutputsEvent?.metadata;
      if (m && isManaged(m.type, m.old?.custom ?? m.new?.custom)) opts.onProgress?.(++read);
    });
    const { resources, drifted, deleted } = fromRefreshEvents(events);
    const state = stateOf(events);
    const names = namesOf(state);

    const { faceContexts, findUndeclared, secretSettingKeys } = await scan;
    // The stack's own settings, falling back to the environment as the provider does.
    const contexts = faceContexts(state, (key) => shown[key]);
    const withSecrets = async (service: "ventus" | "axway") => {
      const values = await stackConfig(cli, secretSettingKeys(service), fromPrelude(shown));
      return faceContexts(state, (key) => values[key]);
    };
    const record = new ListingRecord(privateDir);
    record.refresh();
    const { undeclared, scanned } = await findUndeclared(state, contexts, (opts.ignore ?? []).map(glob), {
      record,
      parallel: opts.parallel ?? ENGINE_DEFAULT_PARALLEL,
      onProgress: opts.onScanProgress,
      withSecrets,
    });
    const stack = opts.stack ?? names?.stack ?? (await cli(["stack", "--show-name"])).trim();
    const project = names?.project ?? (await projectName(workDir));
    return finish({ project, stack, resources, scanned, drifted, deleted, undeclared });
  } finally {
    fs.rmSync(privateDir, { recursive: true, force: true });
  }
}

/**
 * Runs `command` while reading the engine events it appends to `file` (JSON lines), each handed
 * to `onEvent` in order as it comes, for the progress line; the last ones once it has ended.
 */
export async function followEventLog<T>(file: string, command: Promise<T>, onEvent: (e: EngineEvent) => void): Promise<T> {
  let offset = 0;
  let partial = "";
  // A character split across two reads is joined, not garbled (names may hold any letter).
  const utf8 = new StringDecoder("utf8");
  let failure: Error | undefined;
  const readNew = () => {
    let fd: number;
    try {
      fd = fs.openSync(file, "r");
    } catch {
      return; // not written yet
    }
    try {
      const buf = Buffer.alloc(1 << 16);
      for (let n; (n = fs.readSync(fd, buf, 0, buf.length, offset)) > 0; offset += n) {
        const lines = (partial + utf8.write(buf.subarray(0, n))).split("\n");
        partial = lines.pop()!;
        for (const line of lines) if (line.trim()) onEvent(JSON.parse(line) as EngineEvent);
      }
    } catch (err) {
      failure ??= new Error(`reading the refresh's event log: ${(err as Error).message}`, { cause: err });
    } finally {
      fs.closeSync(fd);
    }
  };
  const timer = setInterval(readNew, 100);
  let result: T;
  try {
    result = await command;
  } finally {
    clearInterval(timer);
    readNew();
  }
  // An event not read would make the report wrong: no report then.
  if (failure) throw failure;
  return result;
}

/** The stack's and project's names, from the URN of any resource (`urn:pulumi:<stack>::<project>::…`). */
function namesOf(state: StateResource[]): { stack: string; project: string } | undefined {
  const m = state.length ? /^urn:pulumi:([^:]+)::([^:]+)::/.exec(state[0]!.urn) : null;
  return m ? { stack: m[1]!, project: m[2]! } : undefined;
}

/** The project's name from Pulumi.yaml (a stack with nothing in it yet). */
async function projectName(workDir: string): Promise<string> {
  for (const file of ["Pulumi.yaml", "Pulumi.yml"]) {
    try {
      const text = fs.readFileSync(path.join(workDir, file), "utf8");
      const name = /^name:\s*["']?([^"'\s#]+)/m.exec(text)?.[1];
      if (name) return name;
    } catch {
      // the other spelling
    }
  }
  return path.basename(workDir);
}

/** The engine's default `--parallel`: four per core. */
const ENGINE_DEFAULT_PARALLEL = 4 * os.availableParallelism();

/** The resources of state as the refresh's events show them (before the refresh: `old`), secrets masked. */
function stateOf(events: EngineEvent[]): StateResource[] {
  const out: StateResource[] = [];
  for (const e of events) {
    const m = e.resOutputsEvent?.metadata;
    const before = m?.old ?? m?.new;
    if (!m || !before) continue;
    out.push({ urn: m.urn, type: m.type, id: before.id, custom: before.custom, outputs: before.outputs });
  }
  return out;
}

/** The prelude's configuration in `pulumi config --json`'s terms: a secret shows as "[secret]". */
function fromPrelude(shown: Record<string, string>): Record<string, ListedSetting> {
  return Object.fromEntries(Object.entries(shown).map(([k, v]) => [k, v === "[secret]" ? { secret: true } : { value: v }]));
}

/** A promise awaited later: its failure, if it comes first, is not an unhandled rejection meanwhile. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
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
