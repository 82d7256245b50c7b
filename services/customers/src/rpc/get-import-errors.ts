import { csvFile, requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { importErrorsCsv } from "../domain/imports";

export function getImportErrorsHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["getImportErrors"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const { csv, count } = await importErrorsCsv(store, workspaceId, request.id);
    return { file: csvFile(csv, `import-${request.id}-errors.csv`), errorCount: count };
  };
}
