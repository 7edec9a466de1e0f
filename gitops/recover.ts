// After a job was killed (SIGKILL of `pulumi up`: a runner lost, a timeout, a cancel past its
// grace period), the state holds the creates that were in flight as pending operations, the
// services may hold the objects they made, and the backend may still hold the dead job's lock.
// The next `pulumi up` would then create those objects a second time (Ventus names are not
// unique) or fail (portal names are), and stop on the lock. `recover` puts that right before
// `up`: for each interrupted create it looks for the object the create may have made, the way
// the provider does after a lost answer (createOnce), adopts it when exactly one unheld object
// matches the create's inputs, clears the pending create when nothing was made, and stops with
// one line per create it cannot account for. The state is edited through `pulumi stack export`
// / `pulumi stack import` (the engine's `refresh --import-pending-creates` cannot adopt a
// dynamic resource: its read gets no `__provider`), then the adopted resources are refreshed so
// that their outputs are the services'.
import { setTimeout as sleep } from "node:timers/promises";
import type { ProviderContext } from "../provider/context";
import { LAG_PATIENCE_MS } from "../provider/http/createOnce";
import { RESOURCES, resourceOfType, type Candidate, type CreateRecovery } from "../provider/resources";
import { spawnPulumi, stackConfig, type PulumiRun as Run } from "./stackConfig";
import { faceContexts, secretSettingKeys } from "./undeclared";

export type { Candidate };
/** The services' clients the look-ups use: a face's context, or stand-ins in tests. */
export type Clients = Pick<ProviderContext, "ventus" | "axway">;

/** A resource as `pulumi stack export` writes it (the fields used here; the rest is kept as is). */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  delete?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface PendingOperation {
  resource: StateResource;
  type: string;
}

export interface Deployment {
  resources?: StateResource[];
  pending_operations?: PendingOperation[];
  [field: string]: unknown;
}

type Inputs = Record<string, unknown>;

/** A secret input as exported with --show-secrets: `{ plaintext: "\"…\"" }`; the value itself otherwise. */
function plain(v: unknown): unknown {
  if (v && typeof v === "object" && "plaintext" in v) return JSON.parse(String((v as { plaintext: string }).plaintext));
  return v;
}

/**
 * How each kind finds what its create made: the resource descriptors' `recovery`, with the
 * inputs as the export gives them (secret ones decrypted, in memory only).
 */
export const KINDS: Record<string, CreateRecovery> = Object.fromEntries(
  RESOURCES.map((d) => [
    d.name,
    {
      describe: (i: Inputs) => d.recovery.describe(plainInputs(i)),
      key: (i: Inputs) => d.recovery.key(plainInputs(i)),
      find: (i: Inputs, ctx: Clients) => d.recovery.find(plainInputs(i), ctx),
    },
  ]),
);

function plainInputs(i: Inputs): Inputs {
  return Object.fromEntries(Object.entries(i).map(([k, v]) => [k, plain(v)]));
}

/** The kind of a resource of either face: `pulumi-nodejs:dynamic/pulumi-ventus-axway:VentusProject` or `ventus-axway:index:VentusProject`. */
export function kindOf(type: string): string | undefined {
  return resourceOfType(type)?.name;
}

/** A dynamic resource's kind is in its URN's type (`…::pulumi-nodejs:dynamic/pulumi-ventus-axway:VentusProject::web`). */
function kindOfResource(r: StateResource): string | undefined {
  return kindOf(r.type) ?? kindOf((r.urn.split("::")[2] ?? "").split("$").pop() ?? "");
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

export type Action =
  | { kind: "adopt"; urn: string; resourceKind: string; what: string; id: string }
  | { kind: "clear"; urn: string; resourceKind: string; what: string };

export interface Plan {
  actions: Action[];
  /** One line each: what a person must decide; nothing is changed when there is one. */
  problems: string[];
  /** Pending operations other than creates (deletes, updates): cleared, the next refresh reads those resources. */
  otherPending: number;
}

/** The interrupted creates of this package's resources, and the operations recover leaves to others. */
export function interruptedCreates(d: Deployment): {
  creates: Array<{ op: PendingOperation; kind: string }>;
  foreign: string[];
  other: number;
} {
  const creates: Array<{ op: PendingOperation; kind: string }> = [];
  const foreign: string[] = [];
  let other = 0;
  for (const op of d.pending_operations ?? []) {
    if (op.type !== "creating") {
      other++;
      continue;
    }
    const kind = kindOfResource(op.resource);
    if (kind) creates.push({ op, kind });
    else if (!op.resource.type.startsWith("pulumi:providers:")) foreign.push(op.resource.urn); // a provider's create made nothing
  }
  return { creates, foreign, other };
}

/**
 * What to do about each interrupted create, given what the services hold for its key. Objects
 * a resource of the state holds are never candidates. Per key, the unheld objects that match the
 * create's inputs exactly are adopted, one per interrupted create of that key, when there are no
 * more of them than creates and none that matches the key but not the inputs; the creates left
 * over made nothing and are cleared. Anything else is a problem for a person.
 */
export function planRecovery(d: Deployment, found: Map<string, Candidate[]>): Plan {
  const { creates, foreign, other } = interruptedCreates(d);
  const problems = foreign.map(
    (urn) =>
      `${urn}: an interrupted create of another package; resolve it with pulumi refresh --import-pending-creates or --clear-pending-creates, then run recover again`,
  );
  // A resource pending deletion (replaced) still holds its object until the engine deletes it.
  const held = new Set((d.resources ?? []).filter((r) => r.id).map((r) => `${kindOfResource(r)}:${r.id}`));
  const groups = new Map<string, Array<{ op: PendingOperation; kind: string }>>();
  for (const c of creates) {
    const key = `${c.kind}:${KINDS[c.kind]!.key(c.op.resource.inputs ?? {})}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const actions: Action[] = [];
  for (const [key, ops] of groups) {
    const kind = ops[0]!.kind;
    const what = KINDS[kind]!.describe(ops[0]!.op.resource.inputs ?? {});
    const unheld = (found.get(key) ?? []).filter((c) => !held.has(`${kind}:${c.id}`));
    const exact = unheld.filter((c) => !c.differs?.length);
    const other = unheld.filter((c) => c.differs?.length);
    const names = ops.map((o) => nameOf(o.op.resource.urn)).join(", ");
    if (other.length) {
      problems.push(
        `${kind} ${names}: ${what} exists (id ${other.map((c) => c.id).join(", ")}) but differs from the declaration in ` +
          `${[...new Set(other.flatMap((c) => c.differs ?? []))].join(", ")}, so the interrupted create did not make it; ` +
          `delete it or declare importId, then run recover again`,
      );
      continue;
    }
    if (exact.length > ops.length) {
      problems.push(
        `${kind} ${names}: ${exact.length} objects match (${what}, ids ${exact.map((c) => c.id).join(", ")}) for ` +
          `${ops.length} interrupted create(s), and no resource of the stack holds them; delete those not wanted ` +
          `or declare importId, then run recover again`,
      );
      continue;
    }
    ops.forEach((o, i) => {
      const base = { urn: o.op.resource.urn, resourceKind: kind, what };
      actions.push(exact[i] ? { kind: "adopt", ...base, id: exact[i]!.id } : { kind: "clear", ...base });
    });
  }
  return { actions, problems, otherPending: other };
}

/**
 * The state after the plan: adopted resources appended (their dependencies completed before
 * their create began, so they are in state already), with the create's inputs as outputs until
 * the refresh that follows reads them; a resource the adopted one replaces is marked for
 * deletion, as the engine marks it after a create-before-delete replacement. Pending operations
 * are gone (`pulumi stack import` drops them in any case).
 */
export function applyPlan(d: Deployment, plan: Plan): Deployment {
  const pending = new Map((d.pending_operations ?? []).map((op) => [op.resource.urn, op]));
  const resources = [...(d.resources ?? [])].map((r) => ({ ...r }));
  for (const a of plan.actions) {
    if (a.kind !== "adopt") continue;
    const op = pending.get(a.urn)!;
    for (const r of resources) if (r.urn === a.urn && !r.delete) r.delete = true;
    resources.push({ ...op.resource, id: a.id, outputs: { ...(op.resource.inputs ?? {}) } });
  }
  return { ...d, resources, pending_operations: [] };
}

// ------------------------------------------ the command ------------------------------------------

export interface RecoverOptions {
  /** The Pulumi project folder (default: the working directory). */
  cwd?: string;
  /** Default: the folder's selected stack. */
  stack?: string;
  /**
   * Remove a lock that the backend holds for the stack: only for a caller that knows no other
   * update of the stack can be running (a job of the stack's concurrency group), so any lock
   * it finds is a killed job's.
   */
  clearStaleLock?: boolean;
  /** Extra environment for the Pulumi CLI. */
  envVars?: Record<string, string>;
  /** The services' clients (default: the provider's, from the stack's settings or the environment). */
  clients?: Clients;
  /** Lines of what was done, as they happen. */
  log?: (line: string) => void;
}

export interface RecoverResult {
  stack: string;
  adopted: Array<{ urn: string; id: string }>;
  cleared: string[];
  /** Pending operations other than creates that were dropped (the resources stay in state). */
  otherPending: number;
  /** The lock removed, as the backend described it (`user@host (pid N) at time`). */
  staleLock?: string;
  /** Whether the lock was looked for (with clearStaleLock, or when the state was written). */
  lockChecked: boolean;
}

export class RecoverError extends Error {}

/** The CLI, a missing one named. */
async function pulumiCli(args: string[], cwd: string, env: NodeJS.ProcessEnv, input?: string): Promise<Run> {
  try {
    return await spawnPulumi(args, cwd, env, input);
  } catch (err) {
    throw (err as NodeJS.ErrnoException).code === "ENOENT" ? new RecoverError("the pulumi CLI is not on PATH") : err;
  }
}

/** The CLI's own error lines. */
function errorLines(r: Run): string {
  const text = r.stderr + r.stdout;
  const lines = text.split("\n").filter((l) => /^\s*error:/i.test(l));
  return (lines.length ? lines.join(" ") : text.trim().split("\n").slice(-3).join(" ")).replace(/\s+/g, " ").trim();
}

export async function recover(opts: RecoverOptions = {}): Promise<RecoverResult> {
  const cwd = opts.cwd ?? process.cwd();
  const env = { ...process.env, ...opts.envVars, PULUMI_SKIP_CONFIRMATIONS: "true" };
  const log = opts.log ?? (() => undefined);
  const cli = async (args: string[], input?: string) => pulumiCli(args, cwd, env, input);
  let stack = opts.stack;
  if (!stack) {
    const r = await cli(["stack", "--show-name"]);
    if (r.code !== 0 || !r.stdout.trim()) throw new RecoverError(`no stack is selected in ${cwd}: pass --stack <name>`);
    stack = r.stdout.trim();
  }
  const on = ["--stack", stack];

  const exported = await cli(["stack", "export", ...on]);
  // A first job: the stack does not exist yet (`up` creates it), so nothing can be left to recover.
  if (exported.code !== 0 && /no stack named/i.test(exported.stderr)) {
    return { stack, adopted: [], cleared: [], otherPending: 0, lockChecked: false };
  }
  if (exported.code !== 0) throw new RecoverError(`reading the state of stack ${stack}: ${errorLines(exported)}`);
  const checkpoint = JSON.parse(exported.stdout) as { deployment: Deployment; [k: string]: unknown };
  const { creates } = interruptedCreates(checkpoint.deployment);

  // Each key is looked up once; a key found empty is looked at again while listings may lag.
  const found = new Map<string, Candidate[]>();
  if (creates.length) {
    // Inputs that are secrets (a code's importId) are read decrypted, in memory only.
    let plainOps = new Map<string, PendingOperation>();
    if (creates.some(({ op }) => Object.values(op.resource.inputs ?? {}).some(isSecret))) {
      const plainExport = await cli(["stack", "export", "--show-secrets", ...on]);
      if (plainExport.code !== 0) throw new RecoverError(`reading the state of stack ${stack}: ${errorLines(plainExport)}`);
      const ops = (JSON.parse(plainExport.stdout) as { deployment: Deployment }).deployment.pending_operations ?? [];
      plainOps = new Map(ops.map((op) => [op.resource.urn, op]));
    }
    // The stack's settings as the provider of the interrupted creates' face reads them (`ventus:*`
    // or `ventus-axway:*`), the environment as the fallback. Of its secrets, only the passwords of
    // the services those creates call are decrypted (in memory only).
    const services = new Set(creates.map(({ op }) => resourceOfType(op.resource.type)?.service).filter((s) => s !== undefined));
    const decrypt = new Set([...services].flatMap((s) => [...secretSettingKeys(s)]));
    const values = await stackConfig(async (args) => {
      const r = await cli([...args, ...on]);
      if (r.code !== 0) throw new RecoverError(`reading the configuration of stack ${stack}: ${errorLines(r)}`);
      return r.stdout;
    }, decrypt);
    const get = (key: string) => values[key];
    const pending = creates.map(({ op }) => op.resource);
    const clients = opts.clients ?? faceContexts(pending, get)[0];
    const byKey = new Map<string, { kind: string; inputs: Inputs }>();
    for (const { op, kind } of creates) {
      const inputs = plainOps.get(op.resource.urn)?.resource.inputs ?? op.resource.inputs ?? {};
      byKey.set(`${kind}:${KINDS[kind]!.key(inputs)}`, { kind, inputs });
    }
    await Promise.all(
      [...byKey].map(async ([key, { kind, inputs }]) => {
        let list = await lookUp(kind, inputs, clients);
        for (const delay of LAG_PATIENCE_MS) {
          if (list.length) break;
          await sleep(delay);
          list = await lookUp(kind, inputs, clients);
        }
        found.set(key, list);
      }),
    ).catch((err: unknown) => {
      // Settings are named the way this stack sets them (`ventus-axway:ventusPassword` for a plugin stack): the context does.
      throw new RecoverError(`looking for what the interrupted creates made: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
  const plan = planRecovery(checkpoint.deployment, found);
  if (plan.problems.length) throw new RecoverError(plan.problems.join("\n"));

  const result: RecoverResult = { stack, adopted: [], cleared: [], otherPending: plan.otherPending, lockChecked: false };
  const changes = plan.actions.length > 0 || plan.otherPending > 0;
  if (changes || opts.clearStaleLock) {
    // `stack import` takes the stack's lock: it is also how a lock left behind is found.
    const edited = JSON.stringify({ ...checkpoint, deployment: applyPlan(checkpoint.deployment, plan) });
    let imported = await cli(["stack", "import", ...on], edited);
    const locked = /currently locked by/.test(imported.stderr + imported.stdout);
    if (imported.code !== 0 && locked) {
      const holders = [...(imported.stderr + imported.stdout).matchAll(/created by (.+? \(pid \d+\) at \S+)/g)].map((m) => m[1]);
      const holder = holders.join("; ") || "unknown";
      if (!opts.clearStaleLock) {
        throw new RecoverError(
          `stack ${stack} is locked (${holder}): if no update of it is running (a killed job's lock), ` +
            `run pulumi cancel, or recover --clear-stale-lock from a job that runs alone`,
        );
      }
      const cancel = await cli(["cancel", "--yes", ...on]);
      if (cancel.code !== 0) throw new RecoverError(`removing the stale lock of stack ${stack}: ${errorLines(cancel)}`);
      result.staleLock = holder;
      log(`stale lock removed: ${holder}`);
      imported = await cli(["stack", "import", ...on], edited);
    }
    if (imported.code !== 0) throw new RecoverError(`writing the state of stack ${stack}: ${errorLines(imported)}`);
    result.lockChecked = true;
  }
  for (const a of plan.actions) {
    const name = `${a.resourceKind} ${nameOf(a.urn)}`;
    if (a.kind === "adopt") {
      result.adopted.push({ urn: a.urn, id: a.id });
      log(`adopted ${name}: ${a.what}, id ${a.id}, made by the interrupted create`);
    } else {
      result.cleared.push(a.urn);
      log(`cleared ${name}: the interrupted create made no ${a.what}`);
    }
  }
  if (result.adopted.length) {
    // The adopted resources' outputs, read from the services through the provider.
    const targets = result.adopted.flatMap((a) => ["--target", a.urn]);
    const refresh = await cli(["refresh", "--yes", "--skip-preview", ...targets, ...on]);
    if (refresh.code !== 0) throw new RecoverError(`refreshing the adopted resources of stack ${stack}: ${errorLines(refresh)}`);
  }
  return result;
}

/** A secret as the state keeps it: `{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext }`. */
function isSecret(v: unknown): boolean {
  return typeof v === "object" && v !== null && "4dabf18193072939515e22adb298388d" in v;
}

async function lookUp(kind: string, inputs: Inputs, clients: Clients): Promise<Candidate[]> {
  return KINDS[kind]!.find(inputs, clients);
}

/** One line for the job's log. */
export function summary(r: RecoverResult): string {
  const parts = [`${r.adopted.length} interrupted create(s) adopted`, `${r.cleared.length} cleared (nothing made)`];
  if (r.otherPending) parts.push(`${r.otherPending} other pending operation(s) dropped`);
  if (r.lockChecked) parts.push(r.staleLock ? "a stale lock removed" : "no stale lock");
  return `Stack ${r.stack}: ${parts.join(", ")}.`;
}
