// Drives the real Pulumi CLI (local file backend, fixed passphrase) on a program written
// by the test, against an emulator the test started. No mocks between the CLI and the
// services: what these tests see is what a user's `pulumi up` does.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import { USERLAND, WORK, enginePath } from "./paths";

export const VENTUS_USER = "demo@ventus.example";
export const VENTUS_PASSWORD = "demo-password";
export const VENTUS_ORG = "c19a5b1e-7d1f-4c43-9a51-0f6b2d1e8e50";
export const PASSPHRASE = "e2e-passphrase";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions on what a user reads. */
  output: string;
}

export interface StackOptions {
  /** Stack configuration; keys with a namespace (`ventus:username`). */
  config?: Record<string, string>;
  secrets?: Record<string, string>;
  /** Extra environment for every CLI run. */
  env?: Record<string, string>;
  /** Write `index.ts` and run it as TypeScript instead of `index.js`. */
  typescript?: boolean;
  /** The install whose node_modules the program uses (paths.installUserland); the run's own by default. */
  userland?: string;
}

/** An emulator plus the Ventus config that points a stack at it. */
export async function emulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, ...options });
}

export function ventusConfig(emu: RunningEmulator): StackOptions {
  return {
    config: {
      "ventus:username": VENTUS_USER,
      "ventus:organizationId": VENTUS_ORG,
      "ventus:authUrl": emu.ventusAuthUrl,
      "ventus:apiUrl": emu.ventusApiUrl,
    },
    secrets: { "ventus:password": VENTUS_PASSWORD },
  };
}

export class TestStack {
  private constructor(
    readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly main: string,
  ) {}

  /** A new project folder under the userland install, with its own state backend, and stack `test`. */
  static async create(name: string, program: string, options: StackOptions = {}): Promise<TestStack> {
    const dir = path.join(options.userland ?? USERLAND, "projects", `${name}-${randomBytes(3).toString("hex")}`);
    fs.mkdirSync(path.join(dir, ".state"), { recursive: true });
    fs.writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: ${options.typescript === true}\n`,
    );
    const main = options.typescript ? "index.ts" : "index.js";
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, main }));
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      // The tests decide every setting: none leaks in from the machine.
      if (!/^(VENTUS_|AXWAY_|PULUMI_)/.test(k)) env[k] = v;
    }
    Object.assign(env, {
      PATH: `${enginePath()}:${path.dirname(process.execPath)}:${process.env.PATH}`,
      PULUMI_HOME: path.join(WORK, "pulumi-home"),
      PULUMI_BACKEND_URL: `file://${path.join(dir, ".state")}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      NO_COLOR: "1",
      ...options.env,
    });
    const stack = new TestStack(dir, env, main);
    stack.writeProgram(program);
    await stack.pulumiOk(["stack", "init", "test"]);
    for (const [k, v] of Object.entries(options.config ?? {})) await stack.pulumiOk(["config", "set", k, v]);
    for (const [k, v] of Object.entries(options.secrets ?? {})) await stack.pulumiOk(["config", "set", "--secret", k, v]);
    return stack;
  }

  writeProgram(source: string): void {
    fs.writeFileSync(path.join(this.dir, this.main), source);
  }

  /** Runs `pulumi <args>`; never throws on a non-zero exit (see pulumiOk). */
  pulumi(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    return runProcess("pulumi", [...args, "--non-interactive"], this.dir, { ...this.env, ...extraEnv });
  }

  /** The stack's environment (engine on PATH, local backend, passphrase), for other commands run beside it. */
  environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...this.env, ...extra };
  }

  async pulumiOk(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    const r = await this.pulumi(args, extraEnv);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}\n${r.output}`);
    return r;
  }

  up(): Promise<RunResult> {
    return this.pulumiOk(["up", "--yes", "--skip-preview"]);
  }

  /**
   * The terraform-plugin-testing rule: after every apply, a fresh plan must be empty.
   * `--expect-no-changes` makes the CLI exit non-zero when it is not.
   */
  async expectNoChanges(refresh = false): Promise<RunResult> {
    return this.pulumiOk(["preview", "--expect-no-changes", "--diff", ...(refresh ? ["--refresh"] : [])]);
  }

  preview(...args: string[]): Promise<RunResult> {
    return this.pulumi(["preview", "--diff", ...args]);
  }

  refresh(): Promise<RunResult> {
    return this.pulumiOk(["refresh", "--yes", "--skip-preview"]);
  }

  destroy(): Promise<RunResult> {
    return this.pulumiOk(["destroy", "--yes", "--skip-preview"]);
  }

  async outputs(): Promise<Record<string, unknown>> {
    const r = await this.pulumiOk(["stack", "output", "--json", "--show-secrets"]);
    return JSON.parse(r.stdout);
  }

  /** The stack's state (`pulumi stack export`), secrets left encrypted as stored. */
  async state(): Promise<StateResource[]> {
    const r = await this.pulumiOk(["stack", "export"]);
    return (JSON.parse(r.stdout).deployment.resources ?? []) as StateResource[];
  }

  /** The raw bytes of the state file, to prove what is and is not written to disk. */
  rawStateFile(): string {
    const stacksDir = path.join(this.dir, ".state", ".pulumi", "stacks");
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.json$/.test(e.name)) files.push(p);
      }
    };
    walk(stacksDir);
    return files.map((f) => fs.readFileSync(f, "utf8")).join("\n");
  }

  async resource(type: string, name: string): Promise<StateResource | undefined> {
    return (await this.state()).find((r) => r.type.endsWith(type) && r.urn.endsWith(`::${name}`));
  }
}

/** Runs a command to its end, collecting what it prints; never throws on a non-zero exit. */
export function runProcess(cmd: string, argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, output: stdout + stderr }));
  });
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** Counts of requests per route since the last reset, without the zeros. */
export function apiCalls(emu: RunningEmulator): Record<string, number> {
  return emu.stats().byRoute;
}

/**
 * The installed `pulumi-ventus-axway` bin in the project folder `dir`, as a pipeline runs it
 * (`npx pulumi-ventus-axway drift`): the engine on PATH, the folder's own state backend, and `env`
 * its only settings; on a terminal (`tty`) under util-linux's `script`.
 */
export function packageCli(dir: string, env: Record<string, string>, args: string[], tty = false): Promise<RunResult> {
  const bin = path.join(USERLAND, "node_modules/.bin/pulumi-ventus-axway");
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VENTUS_|AXWAY_|PULUMI_)/.test(k)) childEnv[k] = v;
  Object.assign(childEnv, {
    PATH: `${enginePath()}:${path.dirname(process.execPath)}:${process.env.PATH}`,
    PULUMI_HOME: path.join(WORK, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${path.join(dir, ".state")}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // As pipelines often set it: the CLI would take it for --yes, which a refresh preview refuses.
    PULUMI_SKIP_CONFIRMATIONS: "true",
    NO_COLOR: "1",
    ...env,
  });
  const quoted = [bin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const [cmd, argv]: [string, string[]] = tty ? ["script", ["-qec", quoted, "/dev/null"]] : [bin, args];
  return runProcess(cmd, argv, dir, childEnv);
}
