// A stack's configuration as the package's commands read it: listed with its secrets masked
// (`pulumi config --json`), and only the secret settings a command uses (a service's password)
// decrypted, one `pulumi config get` each. No command decrypts every secret of a stack.
import { spawn } from "node:child_process";

/** Runs the Pulumi CLI with these arguments (the stack's included); its stdout, a failure thrown. */
export type PulumiStdout = (args: string[]) => Promise<string>;

/** The stack's settings: plain ones as listed, secret ones only when named in `decrypt`. */
export async function stackConfig(cli: PulumiStdout, decrypt: ReadonlySet<string>): Promise<Record<string, string>> {
  const listed = JSON.parse(await cli(["config", "--json"])) as Record<string, { value?: unknown; secret?: boolean }>;
  const out: Record<string, string> = {};
  await Promise.all(
    Object.entries(listed).map(async ([key, entry]) => {
      if (!entry.secret) {
        if (entry.value !== undefined) out[key] = String(entry.value);
      } else if (decrypt.has(key)) {
        out[key] = (await cli(["config", "get", key])).replace(/\n$/, "");
      }
    }),
  );
  return out;
}

/**
 * Runs the Pulumi CLI from PATH, as the Automation API does (its environment, non-interactive);
 * its stdout. A failure's message carries the CLI's stderr, whose `error:` lines cli.ts shows.
 */
export function runPulumi(args: string[], cwd: string, envVars: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive"], {
      cwd,
      // PULUMI_DEBUG_COMMANDS makes `--event-log` a flag (the Automation API sets it too).
      env: { ...process.env, ...envVars, PULUMI_AUTOMATION_API: "true", PULUMI_DEBUG_COMMANDS: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e) => reject(new Error(`pulumi ${args[0]}: ${e.message}`, { cause: e })));
    child.on("close", (code, signal) => {
      const stdout = Buffer.concat(out).toString("utf8");
      if (code === 0) return resolve(stdout);
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      reject(new Error(`pulumi ${args.join(" ")}: ${why}\nstdout: ${stdout}\nstderr: ${Buffer.concat(err).toString("utf8")}`));
    });
  });
}
