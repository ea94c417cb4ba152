/**
 * The provider definition model: what `providers/<provider>/…yaml` holds once loaded.
 * docs/provider-format.md documents the file format that maps onto these types.
 */

export type SqlType = 'text' | 'bigint' | 'double precision' | 'boolean' | 'jsonb' | 'timestamptz';
export const SQL_TYPES: readonly SqlType[] = ['text', 'bigint', 'double precision', 'boolean', 'jsonb', 'timestamptz'];

export type SqlVerb = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'EXEC';

/** A Cloud Control operation a resource type has a handler for. */
export type HandlerName = 'create' | 'read' | 'update' | 'delete' | 'list';

export interface Column {
  /** The SQL column name (snake_case), e.g. `active_session_id`. */
  name: string;
  /**
   * Other names the column answers to in statements (lower-case): an earlier ccql spelling,
   * StackQL's (`provider_ar_ns`, … for `provider_arns`). The engine table has only `name`.
   */
  aliases?: string[];
  /** The CloudFormation property name, e.g. `ActiveSessionId`; absent for `region`/`data__Identifier`. */
  property?: string;
  type: SqlType;
  description: string;
  readOnly?: boolean;
  createOnly?: boolean;
  writeOnly?: boolean;
  /** Required in the create DesiredState (schema `required`). */
  required?: boolean;
}

/**
 * How a method is carried out. `cloudcontrol` calls one of the Cloud Control operations;
 * `native` calls an operation of a service's own AWS SDK v3 client (NativeCall).
 */
export type MethodCall = CloudControlCall | NativeCall;

export interface CloudControlCall {
  api: 'cloudcontrol';
  operation: 'CreateResource' | 'GetResource' | 'UpdateResource' | 'DeleteResource' | 'ListResources';
}

/**
 * One operation of a service's own API, through its AWS SDK v3 client. Everything the generic
 * executor needs is here: how the statement's parameters make the input, where the rows are in
 * the output, how it pages, which output values are secrets and which errors mean "not found".
 */
export interface NativeCall {
  api: 'native';
  /** npm package of the SDK v3 client, e.g. `@aws-sdk/client-ivs-realtime`. */
  client: string;
  /** Operation name as in the API reference (its command is `<operation>Command`), e.g. `CreateStage`. */
  operation: string;
  /** The input, member by member: where each member's value comes from (NativeInputSource). */
  input?: NativeInput;
  /** Where the rows are in the output. */
  output?: NativeOutput;
  /** Input member carrying the pagination token and output member returning it. */
  pagination?: { inputToken: string; outputToken: string };
  /**
   * Paths in the output whose values are secrets (`$.participantTokens[*].token`): shown only by
   * RETURNING of the statement that made the call, masked everywhere else, scrubbed from messages.
   */
  secrets?: string[];
  /** Error codes that mean the resource does not exist (a read finds nothing; a change has nothing to change). */
  notFound?: string[];
}

/**
 * Input members → where their values come from: a SQL parameter's name (a column, `region` or
 * `data__Identifier`; left out when the statement gives none), `[name]` for a list of that one
 * value, or a map of members for a nested structure (left out when none of its members is given).
 */
export type NativeInput = { [member: string]: NativeInputSource };
export type NativeInputSource = string | [string] | NativeInput;

export interface NativeOutput {
  /** Path to the rows: a list (one row per item), an object (one row), `$` for the whole output (the default). */
  rows?: string;
  /** The columns the rows carry, when not every column (a list's summaries): the others are read by the get method. */
  fields?: string[];
  /** Columns filled from elsewhere in the output, column → path (`stream_key: $.streamKey`). */
  columns?: Record<string, string>;
}

export interface Method {
  name: string;
  verb: SqlVerb;
  /** Parameters that must be supplied (WHERE equality for SELECT/DELETE/UPDATE, columns for INSERT). */
  requiredParams: string[];
  call: MethodCall;
  description?: string;
}

export interface Operation {
  permissions: string[];
  /** Only for `list`: properties that must be given to list (e.g. ChannelArn). */
  requiredParents?: string[];
  timeoutInMinutes?: number;
}

export interface Tagging {
  taggable: boolean;
  tagOnCreate?: boolean;
  tagUpdatable?: boolean;
  cloudFormationSystemTags?: boolean;
  tagProperty?: string;
  permissions?: string[];
}

export interface ResourceDef {
  /** `stages` (`stages_list_only` for the list-only view of a resource) */
  name: string;
  /** The list-only view (`<resource>_list_only`): rows of the list handler, never hydrated. */
  listOnly?: boolean;
  /** `AWS::IVS::Stage` */
  typeName: string;
  /** `aws.ivs.stages` */
  sqlName: string;
  /**
   * Other names the table answers to within its service: an earlier ccql spelling, StackQL's
   * (`graph_ql_apis`, … for `graphql_apis`).
   */
  aliases?: string[];
  description: string;
  /** Property names (top-level) forming the primary identifier, in order. */
  primaryIdentifier: string[];
  /** Alternative identifiers, each a list of property names. */
  additionalIdentifiers: string[][];
  /** JSON pointers as in the registry schema (`/properties/Arn`, possibly nested). */
  readOnlyProperties: string[];
  createOnlyProperties: string[];
  writeOnlyProperties: string[];
  /** Top-level property names required by the schema. */
  required: string[];
  /** Properties that must be given to list (from handlers.list.handlerSchema.required). */
  listParents: string[];
  tagging?: Tagging;
  /** Cloud Control handlers the type has, with their IAM permissions. */
  operations: Partial<Record<HandlerName, Operation>>;
  columns: Column[];
  methods: Method[];
  /** The registry JSON Schema (properties, definitions, required, oneOf…), used for validation. */
  schema: Record<string, unknown>;
}

export interface ServiceDef {
  /** `ivs` */
  name: string;
  /** The type-name segment as AWS spells it, e.g. `IVS`. */
  title: string;
  resources: ResourceDef[];
}

/**
 * One line of the provider index: enough to list services without loading any of them. A
 * type's service is always the lower-cased middle segment of its type name, so resolving
 * `AWS::IVS::Stage` needs no index either.
 */
export interface IndexedService {
  name: string;
  title: string;
  /** The generated service file (Cloud Control resources), relative to the provider directory. */
  file?: string;
  /** The hand-written file of its native-API resources, relative to the provider directory. */
  native?: string;
  /** Resources of both files. */
  resourceCount: number;
}

export interface ProviderIndex {
  name: string;
  /** Other names the provider answers to (`awscc`, StackQL's name for the Cloud Control provider). */
  aliases?: string[];
  description: string;
  version: string;
  services: IndexedService[];
}
