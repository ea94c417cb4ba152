/**
 * JSON Schemas of the provider files themselves (docs/provider-format.md in machine form).
 * The loader validates every file against these before using it.
 */

const stringList = { type: 'array', items: { type: 'string' } } as const;

const column = {
  type: 'object',
  required: ['name', 'type', 'description'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    aliases: { type: 'array', items: { type: 'string', pattern: '^[a-z_][a-z0-9_]*$' } },
    property: { type: 'string', minLength: 1 },
    type: { enum: ['text', 'bigint', 'double precision', 'boolean', 'jsonb', 'timestamptz'] },
    description: { type: 'string' },
    readOnly: { type: 'boolean' },
    createOnly: { type: 'boolean' },
    writeOnly: { type: 'boolean' },
    required: { type: 'boolean' },
  },
} as const;

const cloudControlCall = {
  type: 'object',
  required: ['api', 'operation'],
  additionalProperties: false,
  properties: {
    api: { const: 'cloudcontrol' },
    operation: { enum: ['CreateResource', 'GetResource', 'UpdateResource', 'DeleteResource', 'ListResources'] },
  },
} as const;

/** A member of a native input: a parameter name, `[name]` (a list of its value), or nested members. */
const nativeInput = {
  type: 'object',
  propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  additionalProperties: {
    oneOf: [
      { type: 'string', minLength: 1 },
      { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: 1 },
      { $ref: '#/$defs/nativeInput' },
    ],
  },
} as const;

const nativeCall = {
  type: 'object',
  required: ['api', 'client', 'operation'],
  additionalProperties: false,
  properties: {
    api: { const: 'native' },
    client: { type: 'string', pattern: '^@aws-sdk/client-[a-z0-9-]+$' },
    operation: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*$' },
    input: { $ref: '#/$defs/nativeInput' },
    output: {
      type: 'object',
      additionalProperties: false,
      properties: {
        rows: { type: 'string' },
        fields: stringList,
        columns: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    pagination: {
      type: 'object',
      required: ['inputToken', 'outputToken'],
      additionalProperties: false,
      properties: { inputToken: { type: 'string' }, outputToken: { type: 'string' } },
    },
    secrets: stringList,
    notFound: stringList,
  },
} as const;

const method = {
  type: 'object',
  required: ['name', 'verb', 'requiredParams', 'call'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' },
    verb: { enum: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'EXEC'] },
    requiredParams: stringList,
    description: { type: 'string' },
    call: { oneOf: [cloudControlCall, nativeCall] },
  },
} as const;

const operation = {
  type: 'object',
  required: ['permissions'],
  additionalProperties: false,
  properties: {
    permissions: stringList,
    requiredParents: stringList,
    timeoutInMinutes: { type: 'number' },
  },
} as const;

const resource = {
  type: 'object',
  required: ['typeName', 'sqlName', 'description', 'primaryIdentifier', 'columns', 'methods', 'operations', 'schema'],
  additionalProperties: false,
  properties: {
    typeName: { type: 'string', pattern: '^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$' },
    sqlName: { type: 'string', pattern: '^[a-z0-9_]+\\.[a-z0-9_]+\\.[a-z0-9_]+$' },
    aliases: { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' } },
    description: { type: 'string' },
    primaryIdentifier: { ...stringList, minItems: 1 },
    additionalIdentifiers: { type: 'array', items: stringList },
    readOnlyProperties: stringList,
    createOnlyProperties: stringList,
    writeOnlyProperties: stringList,
    required: stringList,
    listParents: stringList,
    tagging: {
      type: 'object',
      required: ['taggable'],
      additionalProperties: false,
      properties: {
        taggable: { type: 'boolean' },
        tagOnCreate: { type: 'boolean' },
        tagUpdatable: { type: 'boolean' },
        cloudFormationSystemTags: { type: 'boolean' },
        tagProperty: { type: 'string' },
        permissions: stringList,
      },
    },
    operations: {
      type: 'object',
      additionalProperties: false,
      properties: { create: operation, read: operation, update: operation, delete: operation, list: operation },
    },
    columns: { type: 'array', items: column, minItems: 1 },
    methods: { type: 'array', items: method },
    schema: { type: 'object', required: ['properties'], properties: { properties: { type: 'object' } } },
  },
} as const;

export const serviceFileSchema = {
  $defs: { nativeInput },
  type: 'object',
  required: ['service', 'title', 'resources'],
  additionalProperties: false,
  properties: {
    service: { type: 'string', pattern: '^[a-z0-9_]+$' },
    title: { type: 'string' },
    resources: {
      type: 'object',
      propertyNames: { pattern: '^[a-z][a-z0-9_]*$' },
      additionalProperties: resource,
    },
  },
} as const;

export const providerIndexSchema = {
  type: 'object',
  required: ['name', 'description', 'version', 'services'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' },
    aliases: { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' } },
    description: { type: 'string' },
    version: { type: 'string' },
    services: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'title', 'resourceCount'],
        // A service has generated (Cloud Control) resources, hand-written native ones, or both.
        anyOf: [{ required: ['file'] }, { required: ['native'] }],
        additionalProperties: false,
        properties: {
          name: { type: 'string', pattern: '^[a-z0-9_]+$' },
          title: { type: 'string' },
          file: { type: 'string' },
          native: { type: 'string' },
          resourceCount: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
} as const;
