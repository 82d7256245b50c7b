import { csvFile, requireWorkspace } from "@velaflows/kit";
import { downloadLeadExport } from "../domain/lead-exports";
import type { CrmStore } from "../persistence/crm-store";
import type { CrmHandlers } from "./handlers";

export function downloadLeadExportHandler(store: CrmStore): CrmHandlers["downloadLeadExport"] {
  return async (request, context) => {
    const { fileName, csv } = await downloadLeadExport(store, requireWorkspace(context), request.id);
    return { file: csvFile(csv, fileName) };
  };
}
