import { csvFile, requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { downloadExport } from "../domain/exports";

export function downloadExportHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["downloadExport"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const { fileName, csv } = await downloadExport(store, workspaceId, request.id);
    return { file: csvFile(csv, fileName) };
  };
}
