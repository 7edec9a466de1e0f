// A stack's configuration as the package's commands read it: listed with its secrets masked
// (`pulumi config --json`), and only the secret settings a command uses (a service's password)
// decrypted, one `pulumi config get` each. No command decrypts every secret of a stack.
import { spawn } from "node:child_process";

/** Runs the Pulumi CLI with these arguments (the stack's included); its stdout, a failure thrown. */
export type PulumiStdout = (args: string[]) => Promise<string>;

/** A setting as `pulumi config --json` lists it: a secret's value is left out. */
export type ListedSetting = { value?: unknown; secret?: boolean };

/**
 * The stack's settings: plain ones as listed, secret ones only when named in `decrypt`. `listed`
 * is the configuration already in hand (drift has it from the refresh's prelude); without it,
 * `pulumi config --json` lists it.
 */
export async function stackConfig(
  cli: PulumiStdout,
  decrypt: ReadonlySet<string>,
  listed?: Record<string, ListedSetting>,
): Promise<Record<string, string>> {
  const settings = listed ?? (JSON.parse(await cli(["config", "--json"])) as Record<string, ListedSetting>);
  const out: Record<string, string> = {};
  await Promise.all(
    Object.entries(settings).map(async ([key, entry]) => {
      if (!entry.secret) {
        if (entry.value !== undefined) out[key] = String(entry.value);
      } else if (decrypt.has(key)) {
        out[key] = (await cli(["config", "get", key])).replace(/\n$/, "");
      }
    }),
  );
  return out;
}

export interface PulumiRun {
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the Pulumi CLI from PATH, non-interactive, `input` on its stdin; what it printed and how
 * it ended. A CLI missing from PATH is an error whose code is ENOENT.
 */
export function spawnPulumi(args: string[], cwd: string, envVars: NodeJS.ProcessEnv = {}, input = ""): Promise<PulumiRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive"], {
      cwd,
      env: { ...process.env, ...envVars },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({ code: code ?? 1, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
    );
    child.stdin.end(input);
  });
}

/**
 * The CLI run as the Automation API runs it (its environment); its stdout. A failure's message
 * carries its stderr, whose `error:` lines cli.ts shows.
 */
export async function runPulumi(args: string[], cwd: string, envVars: NodeJS.ProcessEnv = {}): Promise<string> {
  let r: PulumiRun;
  try {
    // PULUMI_DEBUG_COMMANDS makes `--event-log` a flag (the Automation API sets it too).
    r = await spawnPulumi(args, cwd, { ...envVars, PULUMI_AUTOMATION_API: "true", PULUMI_DEBUG_COMMANDS: "true" });
  } catch (e) {
    throw new Error(`pulumi ${args[0]}: ${(e as Error).message}`, { cause: e });
  }
  if (r.code === 0 && !r.signal) return r.stdout;
  const why = r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`;
  throw new Error(`pulumi ${args.join(" ")}: ${why}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}
