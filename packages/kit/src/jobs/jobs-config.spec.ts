import { createEnvReader } from "../config/env";
import { loadJobsConfig } from "./jobs-config";

describe("loadJobsConfig", () => {
  test("defaults, and every setting under the service's own prefix", () => {
    expect(loadJobsConfig(createEnvReader({}), "CRM")).toEqual({ pollMs: 500, staleMs: 30_000, importBatchRows: 500, exportBatchRows: 1000, maxAttempts: 3, enabled: true });
    const env = {
      CRM_JOB_POLL_MS: "50",
      CRM_JOB_STALE_MS: "2000",
      CRM_IMPORT_BATCH_ROWS: "10",
      CRM_EXPORT_BATCH_ROWS: "20",
      CRM_JOB_MAX_ATTEMPTS: "5",
      CRM_JOBS_ENABLED: "false",
      CUSTOMERS_JOB_POLL_MS: "7",
    };
    expect(loadJobsConfig(createEnvReader(env), "CRM")).toEqual({ pollMs: 50, staleMs: 2000, importBatchRows: 10, exportBatchRows: 20, maxAttempts: 5, enabled: false });
    expect(loadJobsConfig(createEnvReader(env), "CUSTOMERS").pollMs).toBe(7);
    expect(loadJobsConfig(createEnvReader({}), "CUSTOMERS", { importBatchRows: 2000 }).importBatchRows).toBe(2000);
    expect(loadJobsConfig(createEnvReader({ CUSTOMERS_IMPORT_BATCH_ROWS: "30" }), "CUSTOMERS", { importBatchRows: 2000 }).importBatchRows).toBe(30);
  });

  test("a malformed value is refused with its variable's name", () => {
    expect(() => loadJobsConfig(createEnvReader({ CRM_JOB_POLL_MS: "soon" }), "CRM")).toThrow("CRM_JOB_POLL_MS");
  });
});
