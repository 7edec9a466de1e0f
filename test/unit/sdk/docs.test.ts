// Every part of the SDK's API a program sees has a TSDoc comment: each resource's args and
// outputs, each function's arguments and result fields, and each exported class, interface,
// type and function. Read with the TypeScript compiler API over sdk/*.ts and provider/functions.ts
// (the functions' implementation, which sdk/index.ts exports as they are), so a property added
// without a comment fails here, not in a review.
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const SDK = path.join(__dirname, "../../../sdk");

const exported = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const documented = (n: ts.Node) => ts.getJSDocCommentsAndTags(n).some((d) => ts.isJSDoc(d) && (d.comment ?? "").toString().trim() !== "");

/** `file: Owner.member` for each exported declaration, or property of one, without a comment. */
function undocumented(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const missing: string[] = [];
  const name = (n: ts.NamedDeclaration) => n.name?.getText(sf) ?? "(anonymous)";
  for (const s of sf.statements) {
    if (!exported(s)) continue;
    const isDeclaration =
      ts.isInterfaceDeclaration(s) || ts.isClassDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isFunctionDeclaration(s);
    if (isDeclaration && !documented(s)) missing.push(`${file}: ${name(s)}`);
    if (!ts.isInterfaceDeclaration(s) && !ts.isClassDeclaration(s)) continue;
    for (const m of s.members as readonly ts.Node[]) {
      // Properties (args, outputs, result fields); the constructor is the class's own doc.
      if ((ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) && !documented(m)) missing.push(`${file}: ${name(s)}.${name(m)}`);
    }
  }
  return missing;
}

test("every exported declaration of sdk/*.ts and provider/functions.ts, and every property of its classes and interfaces, has a TSDoc comment", () => {
  const files = fs.readdirSync(SDK).filter((f) => f.endsWith(".ts"));
  expect(files).toEqual(
    expect.arrayContaining(["ventusProject.ts", "portalOrganization.ts", "organizationApiAccess.ts", "registrationToken.ts"]),
  );
  const functions = path.join(SDK, "../provider/functions.ts");
  expect([
    ...files.flatMap((f) => undocumented(`sdk/${f}`, fs.readFileSync(path.join(SDK, f), "utf8"))),
    ...undocumented("provider/functions.ts", fs.readFileSync(functions, "utf8")),
  ]).toEqual([]);
});

test("the check finds a property, an output or a function without a comment", () => {
  const source = `
    /** Documented. */
    export interface FooArgs {
      /** Documented. */
      a: string;
      b?: number;
    }
    /** Documented. */
    export class Foo {
      declare readonly c: string;
      /** Documented. */
      declare readonly d: string;
    }
    export function getFoo(): void {}
    interface Internal { e: string }
  `;
  expect(undocumented("x.ts", source)).toEqual(["x.ts: FooArgs.b", "x.ts: Foo.c", "x.ts: getFoo"]);
});
