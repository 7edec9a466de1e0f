#!/usr/bin/env node
// `npx pulumi-ventus-axway <command>`: the package's command line.
//
//   drift     what changed on the services behind the stack's back (exit 0 none, 2 drift, 1 error)
//   validate  checks a folder of YAML declarations without calling any service (exit 0 or 1)
//   recover   puts right what a killed job left: interrupted creates, a stale lock (exit 0 or 1)
//   export    writes the live estate as YAML declarations that adopt it (exit 0 or 1)
import * as fs from "node:fs";
import { enableCompileCache } from "node:module";
import * as path from "node:path";
import { parseArgs } from "node:util";

// drift and recover load Pulumi's SDK (recover its Automation API, about 760 files): Node's
// on-disk compile cache, as the provider uses (provider/index.ts), makes the next run's load faster.
enableCompileCache?.();

const USAGE = `Usage:
  pulumi-ventus-axway drift [--stack <name>] [--cwd <dir>] [--json <file>] [--markdown <file>]
                            [--parallel <n>] [--ignore <glob>]...
  pulumi-ventus-axway validate <dir>
  pulumi-ventus-axway recover [--stack <name>] [--cwd <dir>] [--clear-stale-lock]
  pulumi-ventus-axway export --out <dir> [--organizations <glob>] [--portal-only | --ventus-only]
                             [--layout per-organization|grouped] [--force] [--format yaml|pulumi-import]
                             [--stack <name>] [--cwd <dir>] [--parallel <n>]

drift     Reads every resource of the stack from the services (pulumi refresh --preview-only,
          read from the engine's event log; state is not changed) and lists the undeclared
          objects of each service the stack has credentials for. Reports fields changed outside Pulumi
          (last applied -> now), resources deleted outside Pulumi, and objects not declared.
            --stack <name>      the stack (default: the selected one)
            --cwd <dir>         the Pulumi project folder (default: .)
            --json <file>       write the report as JSON (schema: drift-report.schema.json; - for stdout)
            --markdown <file>   write a Markdown summary (e.g. "$GITHUB_STEP_SUMMARY")
            --parallel <n>      resources read at once
            --ignore <glob>     do not report undeclared objects of this name (* and ?), repeatable
          Exit status: 0 no drift, 2 drift, 1 error.
validate  Checks the YAML declarations of a folder (no network): exit 0 when valid, 1 with
          file:line:column: field: problem lines otherwise.
recover   After a job was killed: adopts each object an interrupted create made (exactly one
          object that matches the create's inputs and that no resource of the stack holds),
          clears the creates that made nothing, and reports each. Stops, changing nothing,
          with one line per create it cannot account for. Run it before pulumi up.
            --clear-stale-lock  remove a lock left on the stack: only from a job that no other
                                update of the stack can run beside (a concurrency group)
          Exit status: 0 done (or nothing to do), 1 a person must decide, or an error.
export    Writes every portal organization (every field, custom properties, picture as a JPEG
          beside, grants by API name, registration codes by reference, never the code) and the
          Ventus projects of ventus:organizationId as YAML that declareFromFolder(<dir>) adopts
          (importId on every object). Settings: the stack's configuration in a Pulumi project
          folder, else the environment (AXWAY_*, VENTUS_*). Nothing is written unless all was read.
            --out <dir>             the folder to write (must be empty unless --force)
            --organizations <glob>  only organizations of this name (* and ?)
            --portal-only, --ventus-only
            --layout <l>            per-organization (one file each, default) or grouped (one file)
            --force                 write into a folder that is not empty
            --format pulumi-import  also write pulumi-import.json for \`pulumi import --file\`
            --stack, --cwd          the stack whose settings to use (default: the selected one, .)
            --parallel <n>          organizations read at once (default 16)
`;

const EXIT = { clean: 0, error: 1, drift: 2 } as const;

async function drift(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string" },
      cwd: { type: "string" },
      json: { type: "string" },
      markdown: { type: "string" },
      parallel: { type: "string" },
      ignore: { type: "string", multiple: true },
    },
    strict: true,
    allowPositionals: false,
  });
  let parallel: number | undefined;
  if (values.parallel !== undefined) {
    parallel = Number(values.parallel);
    if (!Number.isInteger(parallel) || parallel < 1)
      throw new UsageError(`--parallel must be a whole number of 1 or more (got "${values.parallel}")`);
  }
  // Loaded here, not at the top: `validate` and `--help` need no engine.
  const { detectDrift } = await import("./drift");
  const { progressLine, scanProgressLine, renderMarkdown, renderText } = await import("./report");
  const tty = process.stderr.isTTY === true;
  const show = (line: string) => process.stderr.write(`\r\x1b[K${line}`);
  const report = await detectDrift({
    cwd: values.cwd === undefined ? undefined : path.resolve(values.cwd),
    stack: values.stack,
    parallel,
    ignore: values.ignore,
    onProgress: tty ? (read) => show(progressLine(read)) : undefined,
    onScanProgress: tty ? (done, total) => show(scanProgressLine(done, total)) : undefined,
  }).finally(() => {
    if (tty) process.stderr.write("\r\x1b[K");
  });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (values.json === "-") {
    process.stdout.write(json);
    process.stderr.write(renderText(report));
  } else {
    if (values.json !== undefined) fs.writeFileSync(values.json, json);
    process.stdout.write(renderText(report));
  }
  if (values.markdown !== undefined) fs.writeFileSync(values.markdown, renderMarkdown(report));
  return report.drift ? EXIT.drift : EXIT.clean;
}

async function validate(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError("validate takes one folder");
  const { loadDeclarations, DeclarationError } = await import("./declarations");
  try {
    const d = loadDeclarations(positionals[0]);
    const grants = d.organizations.reduce((n, o) => n + o.apis.length, 0);
    const codes = d.organizations.reduce((n, o) => n + o.registrationCodes.length, 0);
    process.stdout.write(
      `${d.files.length} file(s) valid: ${d.organizations.length} organization(s), ${grants} API grant(s), ` +
        `${codes} registration code(s), ${d.ventusProjects.length} Ventus project(s)\n`,
    );
    return EXIT.clean;
  } catch (err) {
    if (err instanceof DeclarationError) {
      process.stderr.write(`${err.message}\n`);
      return EXIT.error;
    }
    throw err;
  }
}

async function recoverCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { stack: { type: "string" }, cwd: { type: "string" }, "clear-stale-lock": { type: "boolean" } },
    strict: true,
    allowPositionals: false,
  });
  const { recover, summary, RecoverError } = await import("./recover");
  try {
    const result = await recover({
      cwd: values.cwd === undefined ? undefined : path.resolve(values.cwd),
      stack: values.stack,
      clearStaleLock: values["clear-stale-lock"] === true,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(`${summary(result)}\n`);
    return EXIT.clean;
  } catch (err) {
    if (!(err instanceof RecoverError)) throw err;
    for (const line of err.message.split("\n")) process.stderr.write(`pulumi-ventus-axway recover: ${line}\n`);
    return EXIT.error;
  }
}

async function exportCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string" },
      organizations: { type: "string" },
      "portal-only": { type: "boolean", default: false },
      "ventus-only": { type: "boolean", default: false },
      layout: { type: "string", default: "per-organization" },
      force: { type: "boolean", default: false },
      format: { type: "string", default: "yaml" },
      stack: { type: "string" },
      cwd: { type: "string" },
      parallel: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.out === undefined) throw new UsageError("export needs --out <dir>");
  if (values["portal-only"] && values["ventus-only"]) throw new UsageError("--portal-only and --ventus-only exclude each other");
  if (values.layout !== "per-organization" && values.layout !== "grouped")
    throw new UsageError(`--layout must be per-organization or grouped (got "${values.layout}")`);
  if (values.format !== "yaml" && values.format !== "pulumi-import")
    throw new UsageError(`--format must be yaml or pulumi-import (got "${values.format}")`);
  const parallel = values.parallel === undefined ? undefined : Number(values.parallel);
  if (parallel !== undefined && (!Number.isInteger(parallel) || parallel < 1))
    throw new UsageError(`--parallel must be a whole number of 1 or more (got "${values.parallel}")`);
  const { exportEstate, ExportError } = await import("./export");
  const services: Array<"ventus" | "axway"> = values["portal-only"] ? ["axway"] : values["ventus-only"] ? ["ventus"] : ["axway", "ventus"];
  const config = await settingsSource(values.cwd === undefined ? process.cwd() : path.resolve(values.cwd), values.stack, services);
  const tty = process.stderr.isTTY === true;
  try {
    const s = await exportEstate({
      out: values.out,
      config,
      organizations: values.organizations,
      only: values["portal-only"] ? "portal" : values["ventus-only"] ? "ventus" : undefined,
      layout: values.layout,
      force: values.force,
      pulumiImport: values.format === "pulumi-import",
      parallel,
      onProgress: tty ? (done, total) => process.stderr.write(`\r\x1b[Kexport: ${done}/${total} organizations read`) : undefined,
    }).finally(() => {
      if (tty) process.stderr.write("\r\x1b[K");
    });
    process.stdout.write(
      `exported to ${values.out}: ${s.organizations} organization(s), ${s.grants} API grant(s), ${s.codes} registration code(s), ` +
        `${s.images} image(s), ${s.projects} Ventus project(s) in ${s.files.length} file(s)\n`,
    );
    for (const line of s.skipped) process.stderr.write(`skipped: ${line}\n`);
    for (const line of s.notes) process.stdout.write(`note: ${line}\n`);
    return EXIT.clean;
  } catch (err) {
    if (err instanceof ExportError) {
      process.stderr.write(`pulumi-ventus-axway export: ${err.message}\n`);
      return EXIT.error;
    }
    throw err;
  }
}

/**
 * Settings as drift takes them: a Pulumi project folder's stack configuration, each setting
 * falling back to the environment; outside one, the environment. Of its secrets, only the
 * passwords of the services the command calls are decrypted.
 */
async function settingsSource(
  cwd: string,
  stack: string | undefined,
  services: Array<"ventus" | "axway">,
): Promise<{ get(key: string): string | undefined }> {
  if (!fs.existsSync(path.join(cwd, "Pulumi.yaml")) && !fs.existsSync(path.join(cwd, "Pulumi.yml"))) {
    if (stack !== undefined) throw new UsageError(`--stack needs a Pulumi project folder (no Pulumi.yaml in ${cwd})`);
    return { get: () => undefined };
  }
  const { runPulumi, stackConfig } = await import("./stackConfig");
  const { secretSettingKeys } = await import("./undeclared");
  const envVars = { PULUMI_SKIP_CONFIRMATIONS: "false" };
  let name = stack;
  if (name === undefined) {
    // No stack selected: the environment alone.
    name = (await runPulumi(["stack", "--show-name"], cwd, envVars).catch(() => "")).trim();
    if (!name) return { get: () => undefined };
  }
  const decrypt = new Set(services.flatMap((s) => [...secretSettingKeys(s)]));
  const config = await stackConfig((args) => runPulumi([...args, "--stack", name], cwd, envVars), decrypt);
  return { get: (key) => config[key] };
}

class UsageError extends Error {}

/** The Pulumi CLI's own error lines, without the wrapping of its whole output (ours and the Automation API's). */
function cliError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/ENOENT: pulumi|spawn pulumi ENOENT/.test(text)) return "the pulumi CLI is not on PATH";
  const stderr = /\bstderr: ([\s\S]*?)(?:\n\s*err\?:|$)/.exec(text)?.[1] ?? text;
  const lines = stderr.split("\n").filter((l) => /^\s*error:/i.test(l));
  return (lines.length ? lines.join("\n") : stderr).trim();
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "drift":
        return await drift(rest);
      case "validate":
        return await validate(rest);
      case "recover":
        return await recoverCommand(rest);
      case "export":
        return await exportCommand(rest);
      case "--help":
      case "-h":
      case "help":
        process.stdout.write(USAGE);
        return EXIT.clean;
      case "--version":
        process.stdout.write(`${require("../../package.json").version}\n`);
        return EXIT.clean;
      default:
        throw new UsageError(command === undefined ? "no command given" : `unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`pulumi-ventus-axway: ${(err as Error).message}\n\n${USAGE}`);
    } else {
      process.stderr.write(`pulumi-ventus-axway ${command}: ${cliError(err)}\n`);
    }
    return EXIT.error;
  }
}

if (require.main === module) {
  // Stack traces name the TypeScript sources (lib/'s maps carry them): the commands are loaded after this.
  process.setSourceMapsEnabled(true);
  // Exit at once: the services' keep-alive connections would otherwise hold the process a while.
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
