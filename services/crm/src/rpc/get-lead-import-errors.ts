import { csvFile, requireWorkspace } from "@velaflows/kit";
import { leadImportErrorsCsv } from "../domain/lead-imports";
import type { CrmStore } from "../persistence/crm-store";
import type { CrmHandlers } from "./handlers";

export function getLeadImportErrorsHandler(store: CrmStore): CrmHandlers["getLeadImportErrors"] {
  return async (request, context) => {
    const { csv, count } = await leadImportErrorsCsv(store, requireWorkspace(context), request.id);
    return { file: csvFile(csv, `lead-import-${request.id}-errors.csv`), errorCount: count };
  };
}
