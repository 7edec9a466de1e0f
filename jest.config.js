// Two projects: fast in-process unit tests, and end-to-end tests that drive the real
// Pulumi CLI against the emulator (slow, run serially by scripts/test.sh).
const tsJest = ["ts-jest", { tsconfig: "tsconfig.test.json" }];
module.exports = {
  // A global option (projects cannot set it): end-to-end tests run the CLI many times.
  testTimeout: 600000,
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      roots: ["<rootDir>/test/unit"],
      transform: { "^.+\\.ts$": tsJest },
    },
    {
      displayName: "e2e",
      testEnvironment: "node",
      roots: ["<rootDir>/test/e2e"],
      transform: { "^.+\\.ts$": tsJest },
      globalSetup: "<rootDir>/test/e2e/globalSetup.ts",
    },
  ],
};
