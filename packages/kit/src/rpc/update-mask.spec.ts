import { ValidationError } from "../errors/service-error";
import { fieldsToUpdate, maskOrSetPaths } from "./update-mask";

const UPDATABLE = ["name", "entity_types"] as const;
const given = { name: "VIP", entityTypes: [] as string[] };
const isSet = (field: (typeof UPDATABLE)[number]) => (field === "entity_types" ? given.entityTypes.length > 0 : given[field] !== "");

test("without a mask, the updatable fields the request sets", () => {
  expect(fieldsToUpdate(undefined, UPDATABLE, isSet)).toEqual(["name"]);
  expect(fieldsToUpdate([], UPDATABLE, isSet)).toEqual(["name"]);
});

test("with a mask, exactly its fields, defaults included; an unknown one is a 422 on updateMask", () => {
  expect(fieldsToUpdate(["entity_types"], UPDATABLE, isSet)).toEqual(["entity_types"]);
  expect(() => fieldsToUpdate(["name", "workspace_id"], UPDATABLE, isSet)).toThrow(ValidationError);
  try {
    fieldsToUpdate(["workspace_id"], UPDATABLE, isSet);
  } catch (error) {
    expect((error as ValidationError).violations).toEqual([{ path: "updateMask", message: "cannot update workspace_id; updatable: name, entity_types" }]);
  }
});

test("maskOrSetPaths: the mask as given (nested paths too), else the snake_case names of the set fields", () => {
  expect(maskOrSetPaths(["identities.whatsapp"], {})).toEqual(["identities.whatsapp"]);
  expect(maskOrSetPaths(undefined, { firstName: "Ada", lastName: "", value: "0", tagIds: [], isWon: true, ownerId: undefined })).toEqual(["first_name", "is_won"]);
});
