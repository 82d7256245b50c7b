/**
 * The subset of the OpenAPI 3.1 object model the generator writes. Objects are plain JSON, so the
 * document can be served with `JSON.stringify` and compared as a snapshot. Keys starting with `x-`
 * are specification extensions.
 */

/** A JSON Schema 2020-12 schema as OpenAPI 3.1 uses it (including `$ref` with sibling keywords). */
export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  format?: string;
  const?: unknown;
  enum?: unknown[];
  description?: string;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: boolean | SchemaObject;
  propertyNames?: SchemaObject;
  items?: SchemaObject;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  contentEncoding?: string;
  contentMediaType?: string;
  allOf?: SchemaObject[];
  readOnly?: boolean;
  writeOnly?: boolean;
  deprecated?: boolean;
  examples?: unknown[];
  [extension: `x-${string}`]: unknown;
}

/** `{ $ref }` to a component. */
export interface ReferenceObject {
  $ref: string;
}

export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  description?: string;
  required?: boolean;
  deprecated?: boolean;
  style?: "simple" | "form" | "deepObject";
  explode?: boolean;
  schema: SchemaObject;
  [extension: `x-${string}`]: unknown;
}

export interface HeaderObject {
  description?: string;
  required?: boolean;
  schema: SchemaObject;
}

export interface MediaTypeObject {
  schema: SchemaObject;
  example?: unknown;
}

export interface RequestBodyObject {
  description?: string;
  required?: boolean;
  content: Record<string, MediaTypeObject>;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject | ReferenceObject>;
  content?: Record<string, MediaTypeObject>;
}

/** A security requirement: scheme name → scopes (always empty for http bearer). */
export type SecurityRequirementObject = Record<string, string[]>;

export interface OperationObject {
  operationId: string;
  summary?: string;
  description?: string;
  tags: string[];
  deprecated?: boolean;
  security?: SecurityRequirementObject[];
  parameters: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject | ReferenceObject>;
  [extension: `x-${string}`]: unknown;
}

/** The HTTP methods a path item can hold, in the order they are written. */
export const OPENAPI_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type OpenApiMethod = (typeof OPENAPI_METHODS)[number];

export type PathItemObject = Partial<Record<OpenApiMethod, OperationObject>> & {
  /** Bindings whose HttpRule `custom.kind` has no OpenAPI method ("*" or a non-standard verb). */
  "x-velaflows-custom-methods"?: Record<string, OperationObject>;
};

export interface TagObject {
  name: string;
  description?: string;
  [extension: `x-${string}`]: unknown;
}

export interface SecuritySchemeObject {
  type: "http" | "apiKey";
  scheme?: string;
  bearerFormat?: string;
  name?: string;
  in?: "header";
  description?: string;
}

export interface ComponentsObject {
  schemas: Record<string, SchemaObject>;
  responses: Record<string, ResponseObject>;
  headers: Record<string, HeaderObject>;
  securitySchemes: Record<string, SecuritySchemeObject>;
}

/** An OpenAPI 3.1 document. */
export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description?: string };
  servers: { url: string }[];
  security: SecurityRequirementObject[];
  tags: TagObject[];
  paths: Record<string, PathItemObject>;
  components: ComponentsObject;
}
