import { bindService, type ServiceBinding } from "@velaflows/kit";
import { MacrosServiceService } from "@velaflows/proto/ts/velaflows/macros/v1/macros";
import type { MacrosStore } from "./persistence/macros-store";
import { bulkExecuteMacroHandler } from "./rpc/bulk-execute-macro";
import { createMacroHandler } from "./rpc/create-macro";
import { deleteMacroHandler } from "./rpc/delete-macro";
import { executeMacroHandler } from "./rpc/execute-macro";
import { getMacroHandler } from "./rpc/get-macro";
import { getMacroByShortCodeHandler } from "./rpc/get-macro-by-short-code";
import { listMacroVariablesHandler } from "./rpc/list-macro-variables";
import { listMacrosHandler } from "./rpc/list-macros";
import { renderMacroHandler } from "./rpc/render-macro";
import { updateMacroHandler } from "./rpc/update-macro";

/** The MacrosService: one handler per RPC, each given the store it works on. */
export function createMacrosService(store: MacrosStore): ServiceBinding {
  return bindService(MacrosServiceService, {
    createMacro: createMacroHandler(store),
    getMacro: getMacroHandler(store),
    getMacroByShortCode: getMacroByShortCodeHandler(store),
    listMacros: listMacrosHandler(store),
    updateMacro: updateMacroHandler(store),
    deleteMacro: deleteMacroHandler(store),
    renderMacro: renderMacroHandler(store),
    executeMacro: executeMacroHandler(store),
    bulkExecuteMacro: bulkExecuteMacroHandler(store),
    listMacroVariables: listMacroVariablesHandler(),
  });
}
