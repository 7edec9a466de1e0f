// examples/gitops/.github/workflows: linted with actionlint (built from its Go module by
// scripts/actionlint.sh, cached), which knows the inputs of pulumi/actions and
// actions/setup-node; and read for what the pipeline must do.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { ROOT } from "./paths";

const WORKFLOWS = path.join(ROOT, "examples/gitops/.github/workflows");
const FILES = ["preview.yml", "up.yml", "drift.yml"];

let actionlint: string;
beforeAll(() => {
  actionlint = execFileSync("bash", [path.join(ROOT, "scripts/actionlint.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
}, 600_000);

function lint(files: string[]): { code: number | null; output: string } {
  const r = spawnSync(actionlint, ["-no-color", "-oneline", ...files], { encoding: "utf8" });
  return { code: r.status, output: r.stdout + r.stderr };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Workflow = any;
const wf = (f: string): Workflow => parse(fs.readFileSync(path.join(WORKFLOWS, f), "utf8"));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const steps = (w: Workflow): any[] => Object.values(w.jobs).flatMap((j: any) => j.steps);

test("actionlint finds nothing wrong in the three workflows", () => {
  expect(fs.readdirSync(WORKFLOWS).sort()).toEqual([...FILES].sort());
  expect(lint(FILES.map((f) => path.join(WORKFLOWS, f)))).toEqual({ code: 0, output: "" });
});

test("actionlint does catch a wrong input of pulumi/actions, a bad expression and an unknown event", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pva-wf-"));
  try {
    const broken = fs
      .readFileSync(path.join(WORKFLOWS, "preview.yml"), "utf8")
      .replace("stack-name: prod", "stack: prod")
      .replace("${{ secrets.GITHUB_TOKEN }}", "${{ secret.GITHUB_TOKEN }}")
      .replace("pull_request:", "pull_requests:");
    fs.writeFileSync(path.join(dir, "preview.yml"), broken);
    const r = lint([path.join(dir, "preview.yml")]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/input "stack" is not defined in action "pulumi\/actions@v6"/);
    expect(r.output).toMatch(/undefined variable "secret"/);
    expect(r.output).toMatch(/unknown Webhook event "pull_requests"/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("pull requests preview with a comment, main applies, a schedule runs drift; official actions; credentials from secrets; PostgreSQL state", () => {
  const preview = wf("preview.yml");
  const up = wf("up.yml");
  const drift = wf("drift.yml");
  expect(Object.keys(preview.on)).toEqual(["pull_request"]);
  expect(steps(preview).find((s) => s.uses?.startsWith("pulumi/actions@")).with).toMatchObject({
    command: "preview",
    "comment-on-pr": true,
    "github-token": "${{ secrets.GITHUB_TOKEN }}",
    "cloud-url": "${{ secrets.PULUMI_BACKEND_URL }}",
  });
  expect(preview.permissions).toMatchObject({ "pull-requests": "write" });

  expect(up.on.push.branches).toEqual(["main"]);
  const upStep = steps(up).findIndex((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command);
  expect(steps(up)[upStep].with).toMatchObject({ command: "up", "stack-name": "prod", refresh: true });
  // Before it, what a killed job left is put right: its lock (the job runs alone in its group) and its interrupted creates.
  const recoverStep = steps(up).findIndex((s) => /pulumi-ventus-axway recover\b/.test(s.run ?? ""));
  expect(steps(up)[recoverStep].run).toBe("npx pulumi-ventus-axway recover --stack prod --clear-stale-lock");
  expect(recoverStep).toBeGreaterThan(steps(up).findIndex((s) => s.run === 'pulumi login "$PULUMI_BACKEND_URL"'));
  expect(recoverStep).toBeLessThan(upStep);

  expect(drift.on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
  const run = steps(drift).find((s) => /pulumi-ventus-axway drift/.test(s.run ?? "")).run;
  expect(run).toMatch(/--markdown "\$GITHUB_STEP_SUMMARY"/);
  expect(run).toMatch(/--json drift\.json/);
  expect(steps(drift).some((s) => s.run === 'pulumi login "$PULUMI_BACKEND_URL"')).toBe(true);
  // The drift step fails the job on drift (exit 2): nothing swallows its status.
  expect(steps(drift).find((s) => s.run === run)["continue-on-error"]).toBeUndefined();

  for (const [f, w] of [
    ["preview.yml", preview],
    ["up.yml", up],
    ["drift.yml", drift],
  ] as const) {
    const uses = steps(w)
      .filter((s) => s.uses)
      .map((s) => s.uses.split("@")[0]);
    expect({ f, uses: [...new Set(uses)].filter((u) => !["actions/checkout", "actions/upload-artifact"].includes(u)) }).toEqual({
      f,
      uses: ["actions/setup-node", "pulumi/actions"],
    });
    // Every credential comes from a repository secret; none is written in the file.
    for (const k of [
      "PULUMI_BACKEND_URL",
      "PULUMI_CONFIG_PASSPHRASE",
      "AXWAY_PASSWORD",
      "VENTUS_PASSWORD",
      "AXWAY_USERNAME",
      "VENTUS_USERNAME",
    ]) {
      expect({ f, k, v: w.env[k] }).toEqual({ f, k, v: `\${{ secrets.${k} }}` });
    }
    expect(fs.readFileSync(path.join(WORKFLOWS, f), "utf8")).not.toMatch(/postgres:\/\/[^.\s]*:[^@\s]*@(?!db\.example\.com)/);
  }
  // Updates and drift checks never overlap.
  expect(up.concurrency.group).toBe(drift.concurrency.group);
  expect(up.concurrency["cancel-in-progress"]).toBe(false);
});
