// ESLint (flat config): @eslint/js and typescript-eslint recommended, formatting left to Prettier
// (eslint-config-prettier turns off the rules it would fight). `npm run lint` runs both.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

// Node's globals, for the plain JavaScript files (TypeScript's own checks cover the .ts files).
const node = Object.fromEntries(
  ["require", "module", "exports", "process", "console", "__dirname", "__filename"].map((g) => [g, "readonly"]),
);

export default defineConfig(
  {
    // Build output, installs, the tests' work folder, and the services' documents as received.
    ignores: ["lib/", "node_modules/", ".work/", "examples/*/node_modules/", "test/data/", "**/*.d.ts"],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `_`-prefixed names are deliberately unused (placeholders in parameter lists and destructuring).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // sdk/providers/* are `export =` modules (each serializes as one require of the installed
    // package), which TypeScript imports with `import x = require()`.
    files: ["sdk/*.ts"],
    rules: { "@typescript-eslint/no-require-imports": ["error", { allowAsImport: true }] },
  },
  {
    // Run-time requires by design: the dynamic provider's shell requires the INSTALLED package when it
    // runs (state stays small, pulumi/pulumi#5294); the plugin entry picks the SDK or the server at load
    // time; the CLI and the plugin read the package.json beside lib/ (not compiled in); the test loads
    // the entry as a plain require does; the clients (undici) load at a context's first call.
    files: ["sdk/shell.ts", "provider/plugin/main.ts", "gitops/cli.ts", "provider/context.ts", "test/unit/provider/plugin/schema.test.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The input rules exist to find control characters: these regular expressions name them on purpose.
    files: ["provider/rules.ts", "test/e2e/badInput.test.ts"],
    rules: { "no-control-regex": "off" },
  },
  {
    // CommonJS configuration files (jest.config.js).
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: node },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  prettier,
);
