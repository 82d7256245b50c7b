/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // Resolve workspace packages to their TypeScript sources (the "@velaflows/source" export condition).
  testEnvironmentOptions: { customExportConditions: ["@velaflows/source", "node", "require", "default"] },
  roots: ["<rootDir>/packages", "<rootDir>/services", "<rootDir>/gateway", "<rootDir>/deploy"],
  // deploy/tests: the charts, overlays, dashboards, rules and Dockerfile (issue 6).
  testMatch: ["**/src/**/*.spec.ts", "<rootDir>/deploy/tests/**/*.spec.ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      {
        jsc: {
          target: "es2022",
          parser: { syntax: "typescript", decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: "commonjs" },
      },
    ],
  },
  globalSetup: "<rootDir>/packages/testing/src/global-setup.ts",
  globalTeardown: "<rootDir>/packages/testing/src/global-teardown.ts",
  testTimeout: 30000,
};
