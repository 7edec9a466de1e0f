// The package's command line, in process: `validate` (no network), usage errors and exit codes.
// `drift` itself needs the engine: test/e2e/gitops.test.ts runs it through the installed bin.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../../gitops/cli";

const ROOT = path.resolve(__dirname, "../../..");

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((s) => ((stdout += String(s)), true));
  const err = jest.spyOn(process.stderr, "write").mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

test("validate: the example's files are valid, and counted", async () => {
  const r = await run("validate", path.join(ROOT, "examples/gitops/teams"));
  expect(r).toEqual({
    code: 0,
    stdout: "2 file(s) valid: 2 organization(s), 3 API grant(s), 2 registration code(s), 2 Ventus project(s)\n",
    stderr: "",
  });
});

test("validate: a mistake exits 1 with file:line:column: field: rule", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pva-cli-"));
  try {
    fs.writeFileSync(path.join(dir, "team.yaml"), "organizations:\n  acme:\n    name: Acme\n    email: nope\n");
    const r = await run("validate", dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `${path.join(dir, "team.yaml")}:4:12: organizations.acme.email: must be an email address such as support@example.com\n`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("usage errors exit 1 with the usage; --help exits 0", async () => {
  for (const argv of [[], ["plan"], ["drift", "--parallel", "0"], ["drift", "--stak", "prod"], ["validate"]]) {
    const r = await run(...argv);
    expect({ argv, code: r.code }).toEqual({ argv, code: 1 });
    expect(r.stderr).toContain("Usage:");
  }
  const help = await run("--help");
  expect(help.code).toBe(0);
  expect(help.stdout).toContain("Exit status: 0 no drift, 2 drift, 1 error.");
});

test("drift in a folder without a Pulumi project is an error (exit 1), not drift", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pva-cli-"));
  try {
    const r = await run("drift", "--cwd", dir, "--stack", "prod");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^pulumi-ventus-axway drift: /);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
