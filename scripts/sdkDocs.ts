// Writes the TSDoc of each SDK resource class (sdk/<kind>.ts: its Args interface and its
// outputs) from the resource's descriptor, so the comments a TypeScript user reads are the
// descriptions the plugin's schema and the docs carry. `npm run sdk-docs`; the contract tests
// (test/unit/provider/contracts.test.ts) fail when a comment says something else.
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { AXWAY_SETTINGS, VENTUS_SETTINGS } from "../provider/config";
import { RESOURCES, fieldsOf, render } from "../provider/resources";

/** `{ventus:organizationId}` as the SDK's users set it. */
export function sdkSetting(key: string): string {
  const spec = [...Object.values(VENTUS_SETTINGS), ...Object.values(AXWAY_SETTINGS)].find((s) => s.key === key);
  return `\`${key}\` (or \`${spec?.env}\`)`;
}

/** What only TypeScript has, said after the shared description. */
const TIME_SUFFIX = "In TypeScript, a `Date` too (see {@link TimeInput}).";

function comment(text: string, indent: string, width = 110): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line && indent.length + 3 + line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  if (lines.length === 1 && indent.length + 7 + lines[0].length <= width) return `/** ${lines[0]} */`;
  return ["/**", ...lines.map((l) => `${indent} * ${l}`), `${indent} */`].join("\n");
}

export function writeSdkDocs(root: string): string[] {
  const changed: string[] = [];
  for (const d of RESOURCES) {
    const file = path.join(root, "sdk", `${d.kind}.ts`);
    const source = fs.readFileSync(file, "utf8");
    const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
    const fields = new Map(fieldsOf(d).map((f) => [f.name, f]));
    const edits: Array<{ start: number; end: number; text: string }> = [];
    for (const s of sf.statements) {
      const owner = (ts.isInterfaceDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.getText(sf);
      if (owner !== d.name && owner !== `${d.name}Args`) continue;
      for (const m of (s as ts.InterfaceDeclaration | ts.ClassDeclaration).members as readonly ts.Node[]) {
        if (!(ts.isPropertySignature(m) || ts.isPropertyDeclaration(m))) continue;
        const f = fields.get(m.name.getText(sf));
        const docs = ts.getJSDocCommentsAndTags(m).filter(ts.isJSDoc);
        if (!f || docs.length === 0) continue;
        const isTime = /TimeInput/.test(m.type?.getText(sf) ?? "") && owner === `${d.name}Args`;
        const text = `${render(f.meta.description, sdkSetting)}${isTime ? ` ${TIME_SUFFIX}` : ""}`;
        const indent = source.slice(source.lastIndexOf("\n", docs[0].getStart(sf)) + 1, docs[0].getStart(sf));
        edits.push({ start: docs[0].getStart(sf), end: docs[docs.length - 1].end, text: comment(text, indent) });
      }
    }
    let out = source;
    for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
    if (out !== source) {
      fs.writeFileSync(file, out);
      changed.push(path.relative(root, file));
    }
  }
  return changed;
}

if (require.main === module) {
  const changed = writeSdkDocs(path.join(__dirname, ".."));
  console.log(changed.length ? `rewrote the TSDoc of ${changed.join(", ")}` : "the SDK's TSDoc is current");
}
