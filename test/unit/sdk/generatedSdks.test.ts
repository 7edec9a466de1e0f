// The generated SDKs (sdk/go, sdk/python; `npm run gen-sdks`) against the plugin's schema they come
// from: regenerated here with the same generator (pva-codegen, which scripts/setup.sh builds), they
// must equal what is committed, so a schema change without `npm run gen-sdks` fails. Python cannot
// run here (no `pulumi` package without PyPI), so the Python SDK and examples/python are
// byte-compiled and read with Python's own parser: every resource and function of the schema is
// exported with the schema's inputs as its arguments, the type stubs of the settings match the
// schema's, and the example calls only what exists.
// The Go SDK is compiled, offline, with examples/go (the program test/e2e/goProgram.test.ts runs).
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildSchema } from "../../../provider/plugin/schema";
import { GO_IMPORT_PATH, PYTHON_PACKAGE } from "../../../provider/plugin/languages";

const ROOT = path.join(__dirname, "../../..");
const VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version;

interface Spec {
  resources: Record<string, { inputProperties: Record<string, unknown>; requiredInputs: string[] }>;
  functions: Record<string, { inputs?: { properties: Record<string, unknown> } }>;
}
const schema = buildSchema(VERSION) as unknown as Spec;

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pva-sdks-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every file under dir, as relative paths, sorted. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

function codegen(): string {
  const bin = process.env.PVA_CODEGEN;
  if (!bin || !fs.existsSync(bin)) {
    throw new Error("PVA_CODEGEN does not point at pva-codegen: run the tests with `npm test` (scripts/setup.sh builds it)");
  }
  return bin;
}

test("sdk/go and sdk/python are what the generator makes of the current schema (else: npm run gen-sdks)", () => {
  const schemaFile = path.join(tmp, "schema.json");
  fs.writeFileSync(schemaFile, JSON.stringify(schema, null, 2) + "\n");
  execFileSync(codegen(), ["-schema", schemaFile, "-go", path.join(tmp, "go"), "-python", path.join(tmp, "python")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  for (const lang of ["go", "python"]) {
    const fresh = path.join(tmp, lang);
    const committed = path.join(ROOT, "sdk", lang);
    expect({ lang, files: files(committed) }).toEqual({ lang, files: files(fresh) });
    const stale = files(fresh).filter((f) => !fs.readFileSync(path.join(fresh, f)).equals(fs.readFileSync(path.join(committed, f))));
    expect({ lang, stale }).toEqual({ lang, stale: [] });
  }
  // The generated code names the repository's import path, not the generator's example.com default.
  expect(fs.readFileSync(path.join(ROOT, "sdk/go/go.mod"), "utf8")).toContain(`module ${path.dirname(GO_IMPORT_PATH)}\n`);
  expect(fs.readFileSync(path.join(ROOT, "sdk/go/ventusaxway/internal/pulumiUtilities.go"), "utf8")).not.toContain("example.com");
});

test("every description of the schema is a doc comment of the Go SDK and a docstring of the Python SDK", () => {
  type Props = Record<string, { description?: string }> | undefined;
  const full = buildSchema(VERSION) as unknown as {
    resources: Record<string, { description: string; inputProperties: Props; properties: Props }>;
    functions: Record<string, { description: string; inputs?: { properties: Props }; outputs: { properties: Props } }>;
    types: Record<string, { properties: Props }>;
    config: { variables: Props };
  };
  const descriptions: Array<[string, string]> = [];
  const add = (where: string, props: Props) => {
    for (const [k, v] of Object.entries(props ?? {})) descriptions.push([`${where}.${k}`, v.description ?? ""]);
  };
  for (const [t, r] of Object.entries(full.resources)) {
    descriptions.push([t, r.description]);
    add(`${t} input`, r.inputProperties);
    add(`${t} output`, r.properties);
  }
  for (const [t, f] of Object.entries(full.functions)) {
    descriptions.push([t, f.description]);
    add(`${t} argument`, f.inputs?.properties);
    add(`${t} result`, f.outputs.properties);
  }
  for (const [t, ty] of Object.entries(full.types)) add(t, ty.properties);
  add("setting", full.config.variables);
  expect(descriptions.length).toBeGreaterThan(100);
  // Source text of a language, comment markers and line breaks folded into single spaces.
  const text = (dir: string, ext: RegExp, comment: RegExp) =>
    files(dir)
      .filter((f) => ext.test(f))
      .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
      .join("\n")
      .replace(comment, " ")
      .replace(/\s+/g, " ");
  const go = text(path.join(ROOT, "sdk/go"), /\.go$/, /\n\s*\/\/ ?/g);
  const python = text(path.join(ROOT, "sdk/python"), /\.pyi?$/, /\n\s*/g);
  const fold = (d: string) => d.replace(/\s+/g, " ");
  expect(descriptions.filter(([, d]) => !go.includes(fold(d))).map(([w]) => w)).toEqual([]);
  expect(descriptions.filter(([, d]) => !python.includes(fold(d))).map(([w]) => w)).toEqual([]);
});

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

// Reads the package (and the example) with Python's ast: classes with their __init__ keyword
// arguments, top-level functions with theirs, and the names the package's __init__ re-exports.
const READ_PACKAGE = `
import ast, json, pathlib, sys
pkg, example = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
classes, functions, star = {}, {}, []
for f in sorted(pkg.glob("*.py")):
    tree = ast.parse(f.read_text(), str(f))
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    a = item.args
                    classes.setdefault(node.name, set()).update(x.arg for x in a.args[1:] + a.kwonlyargs)
        elif isinstance(node, ast.FunctionDef):
            a = node.args
            functions[node.name] = [x.arg for x in a.args + a.kwonlyargs]
        elif f.name == "__init__.py" and isinstance(node, ast.ImportFrom) and node.level == 1 and node.names[0].name == "*":
            star.append(node.module)
calls = []
for node in ast.walk(ast.parse(example.read_text(), str(example))):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) and node.func.value.id == "va":
        calls.append({"name": node.func.attr, "keywords": [k.arg for k in node.keywords]})
# The settings: the type stubs of pulumi_ventus_axway.config, and the properties of its module.
stubs = [n.target.id for n in ast.parse((pkg / "config" / "__init__.pyi").read_text()).body if isinstance(n, ast.AnnAssign)]
props = [f.name for c in ast.parse((pkg / "config" / "vars.py").read_text()).body if isinstance(c, ast.ClassDef)
         for f in c.body if isinstance(f, ast.FunctionDef)]
print(json.dumps({"classes": {k: sorted(v) for k, v in classes.items()}, "functions": functions, "star": star, "calls": calls,
                  "stubs": stubs, "props": props}))
`;

test("the Python SDK and examples/python byte-compile, and the SDK exports every resource and function of the schema with its inputs", () => {
  const pkg = path.join(ROOT, "sdk/python", PYTHON_PACKAGE);
  const example = path.join(ROOT, "examples/python/__main__.py");
  // Byte-compiled into a throwaway folder (no __pycache__ in the repository).
  const env = { ...process.env, PYTHONPYCACHEPREFIX: path.join(tmp, "pycache") };
  const compiled = spawnSync("python3", ["-m", "compileall", "-q", pkg, example], { env, encoding: "utf8" });
  expect({ status: compiled.status, output: compiled.stdout + compiled.stderr }).toEqual({ status: 0, output: "" });

  const read = spawnSync("python3", ["-c", READ_PACKAGE, pkg, example], { env, encoding: "utf8" });
  expect(read.stderr).toBe("");
  const py = JSON.parse(read.stdout) as {
    classes: Record<string, string[]>;
    functions: Record<string, string[]>;
    star: string[];
    calls: Array<{ name: string; keywords: string[] }>;
    stubs: string[];
    props: string[];
  };
  for (const [token, res] of Object.entries(schema.resources)) {
    const name = token.split(":")[2];
    expect({ name, exported: py.star.includes(snake(name)) }).toEqual({ name, exported: true });
    // The class's constructor takes each input by its Python name (plus resource_name and opts).
    const args = Object.keys(res.inputProperties).map(snake);
    expect({ name, args: py.classes[name]?.filter((a) => args.includes(a)).sort() }).toEqual({ name, args: [...args].sort() });
    expect(py.classes[name]).toEqual(expect.arrayContaining(["resource_name", "opts"]));
  }
  for (const [token, fn] of Object.entries(schema.functions)) {
    const name = snake(token.split(":")[2]);
    expect({ name, exported: py.star.includes(name) }).toEqual({ name, exported: true });
    for (const variant of [name, `${name}_output`]) {
      const args = Object.keys(fn.inputs?.properties ?? {}).map(snake);
      expect({ variant, args: py.functions[variant] }).toEqual({ variant, args: [...args, "opts"] });
    }
  }
  // Every setting: typed in the config stubs, a property of the config module, an argument of Provider.
  const settings = Object.keys((schema as unknown as { config: { variables: Record<string, unknown> } }).config.variables);
  expect([...py.stubs].sort()).toEqual([...settings].sort());
  expect([...py.props].sort()).toEqual(settings.map(snake).sort());
  expect(py.classes.Provider).toEqual(expect.arrayContaining(settings.map(snake)));
  // examples/python calls only what the SDK has, with arguments it takes.
  expect(py.calls.length).toBeGreaterThanOrEqual(5);
  for (const call of py.calls) {
    const takes = py.classes[call.name] ?? py.functions[call.name];
    expect({ call: call.name, exists: takes !== undefined }).toEqual({ call: call.name, exists: true });
    expect({ call: call.name, unknown: call.keywords.filter((k) => !takes.includes(k)) }).toEqual({ call: call.name, unknown: [] });
  }
});

test("the Go SDK compiles with examples/go, offline, from the modules setup downloaded", () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GOFLAGS: "-mod=mod -buildvcs=false",
    GOPROXY: "off",
    GOSUMDB: "off",
    GOTOOLCHAIN: "local",
    ...(process.env.PVA_GOMODCACHE ? { GOMODCACHE: process.env.PVA_GOMODCACHE } : {}),
    ...(process.env.PVA_GOCACHE ? { GOCACHE: process.env.PVA_GOCACHE } : {}),
  };
  const r = spawnSync("go", ["vet", ".", `${GO_IMPORT_PATH}/...`], { cwd: path.join(ROOT, "examples/go"), env, encoding: "utf8" });
  expect({ status: r.status, output: r.stderr }).toEqual({ status: 0, output: "" });
});

test("the registry's installation page lists every setting of the plugin's schema", () => {
  const page = fs.readFileSync(path.join(ROOT, "docs/installation-configuration.md"), "utf8");
  const settings = Object.keys((buildSchema(VERSION) as { config: { variables: Record<string, unknown> } }).config.variables);
  expect(settings.length).toBeGreaterThan(10);
  expect(settings.filter((s) => !page.includes(`| \`ventus-axway:${s}\` |`))).toEqual([]);
  // The front matter the registry reads.
  for (const file of ["_index.md", "installation-configuration.md"]) {
    const front = /^---\n([\s\S]*?)\n---\n/.exec(fs.readFileSync(path.join(ROOT, "docs", file), "utf8"))?.[1] ?? "";
    expect({
      file,
      title: /^title: \S/m.test(front),
      meta_desc: /^meta_desc: \S/m.test(front),
      layout: /^layout: package$/m.test(front),
    }).toEqual({
      file,
      title: true,
      meta_desc: true,
      layout: true,
    });
  }
});
