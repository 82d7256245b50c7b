import { bindService, type ServiceBinding } from "@velaflows/kit";
import {
  CustomPropertiesInternalServiceService,
  CustomPropertiesServiceService,
} from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";
import type { PropertiesStore } from "./persistence/properties-store";
import { batchValidatePropertyValuesHandler } from "./rpc/batch-validate-property-values";
import { createPropertyHandler } from "./rpc/create-property";
import { deactivatePropertyHandler } from "./rpc/deactivate-property";
import { deletePropertyHandler } from "./rpc/delete-property";
import { getEntityDefinitionsHandler } from "./rpc/get-entity-definitions";
import { getPropertyHandler } from "./rpc/get-property";
import { getPropertyByKeyHandler } from "./rpc/get-property-by-key";
import { listEntityTypesHandler } from "./rpc/list-entity-types";
import { listPropertiesHandler } from "./rpc/list-properties";
import {
  createPropertyGroupHandler,
  deletePropertyGroupHandler,
  getPropertyGroupHandler,
  listPropertyGroupsHandler,
  reorderPropertyGroupsHandler,
  updatePropertyGroupHandler,
} from "./rpc/property-groups";
import { reactivatePropertyHandler } from "./rpc/reactivate-property";
import { reorderPropertiesHandler } from "./rpc/reorder-properties";
import { updatePropertyHandler } from "./rpc/update-property";
import { validatePropertyValuesHandler } from "./rpc/validate-property-values";
import { validateValuesHandler } from "./rpc/validate-values";

/** The public CustomPropertiesService: one handler per RPC, each given the store it works on. */
export function createCustomPropertiesService(store: PropertiesStore): ServiceBinding {
  return bindService(CustomPropertiesServiceService, {
    createProperty: createPropertyHandler(store),
    getProperty: getPropertyHandler(store),
    getPropertyByKey: getPropertyByKeyHandler(store),
    listProperties: listPropertiesHandler(store),
    updateProperty: updatePropertyHandler(store),
    reorderProperties: reorderPropertiesHandler(store),
    deactivateProperty: deactivatePropertyHandler(store),
    reactivateProperty: reactivatePropertyHandler(store),
    deleteProperty: deletePropertyHandler(store),
    validateValues: validateValuesHandler(store),
    listEntityTypes: listEntityTypesHandler(store),
    createPropertyGroup: createPropertyGroupHandler(store),
    getPropertyGroup: getPropertyGroupHandler(store),
    listPropertyGroups: listPropertyGroupsHandler(store),
    updatePropertyGroup: updatePropertyGroupHandler(store),
    deletePropertyGroup: deletePropertyGroupHandler(store),
    reorderPropertyGroups: reorderPropertyGroupsHandler(store),
  });
}

/** The CustomPropertiesInternalService, called by the services owning the entities. */
export function createCustomPropertiesInternalService(store: PropertiesStore): ServiceBinding {
  return bindService(CustomPropertiesInternalServiceService, {
    validatePropertyValues: validatePropertyValuesHandler(store),
    batchValidatePropertyValues: batchValidatePropertyValuesHandler(store),
    getEntityDefinitions: getEntityDefinitionsHandler(store),
  });
}
