// docs/api is what `npm run docs` (TypeDoc with typedoc-plugin-markdown, typedoc.json) makes of
// the sources as they are: generated again into a temporary folder, it must be the same, file
// for file. A change of the SDK's API or its TSDoc without `npm run docs` fails here.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "../../..");
const COMMITTED = path.join(ROOT, "docs/api");

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, full)] = fs.readFileSync(full, "utf8");
  }
  return out;
}

test("docs/api is current: npm run docs would change nothing", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "pva-docs-"));
  try {
    execFileSync(process.execPath, [path.join(ROOT, "node_modules/typedoc/bin/typedoc"), "--out", out, "--logLevel", "Error"], {
      cwd: ROOT,
      stdio: "pipe",
    });
    const fresh = files(out);
    const committed = files(COMMITTED);
    expect(Object.keys(committed).sort()).toEqual(Object.keys(fresh).sort());
    const stale = Object.keys(fresh).filter((f) => committed[f] !== fresh[f]);
    expect(stale).toEqual([]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
