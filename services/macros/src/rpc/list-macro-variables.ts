import { VARIABLES } from "../domain/variables";
import type { MacrosHandlers } from "./handlers";

export function listMacroVariablesHandler(): MacrosHandlers["listMacroVariables"] {
  return async () => ({ items: VARIABLES.map((v) => ({ ...v })) });
}
