/**
 * Naming rules from DESIGN.md: `AWS::IVS::StreamKey` → service `ivs`, resource `stream_keys`;
 * property `ActiveSessionId` → column `active_session_id`.
 */

/**
 * PascalCase/camelCase → snake_case. Acronyms stay together (`VPCEndpoint` → `vpc_endpoint`,
 * `DBInstanceARN` → `db_instance_arn`), digits stick to the word before them (`Ipv6Address` →
 * `ipv6_address`, `S3Bucket` → `s3_bucket`).
 */
export function snakeCase(name: string): string {
  const out = name
    .replace(/[^A-Za-z0-9]+/g, '_')
    // "VPCEndpoint" → "VPC_Endpoint": an upper-case run followed by a capitalised word
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    // "activeSession" → "active_Session", "ipv6Address" → "ipv6_Address"
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  return out;
}

const UNCHANGED_PLURALS = new Set(['data', 'metadata', 'information', 'info', 'equipment', 'media', 'criteria', 'series', 'schema_data']);

/** English plural of the last word of a snake_case name (`stream_key` → `stream_keys`). */
export function pluralize(snake: string): string {
  const i = snake.lastIndexOf('_');
  const head = i >= 0 ? snake.slice(0, i + 1) : '';
  const word = i >= 0 ? snake.slice(i + 1) : snake;
  return head + pluralWord(word);
}

function pluralWord(w: string): string {
  if (w === '' || UNCHANGED_PLURALS.has(w)) return w;
  if (/(sis)$/.test(w)) return w.replace(/sis$/, 'ses'); // analysis → analyses
  if (/(ss|us|as|x|z|ch|sh)$/.test(w)) return `${w}es`; // address, status, alias, index, match
  if (/[^aeiou]y$/.test(w)) return `${w.slice(0, -1)}ies`; // policy → policies
  if (/s$/.test(w)) return w; // settings, credentials: already plural
  if (/(?:[^f]fe|[^f]f)$/.test(w) && /(?:life|knife|leaf|half|shelf)$/.test(w)) {
    return w.replace(/fe?$/, 'ves');
  }
  return `${w}s`;
}

/** `AWS::IVS::Stage` → { provider: 'aws', service: 'ivs', resourceSingular: 'stage' } */
export function splitTypeName(typeName: string): { provider: string; serviceTitle: string; service: string; last: string } {
  const parts = typeName.split('::');
  if (parts.length !== 3 || parts.some((p) => p === '')) {
    throw new Error(`type name '${typeName}' is not of the form Provider::Service::Resource`);
  }
  const [provider, serviceTitle, last] = parts as [string, string, string];
  return { provider: provider.toLowerCase(), serviceTitle, service: serviceTitle.toLowerCase(), last };
}

/** The pseudo-columns every Cloud Control table has, before its properties. */
export const REGION_COLUMN = 'region';
export const IDENTIFIER_COLUMN = 'data__Identifier';
export const PATCH_DOCUMENT_PARAM = 'data__PatchDocument';

/**
 * The fields of a Cloud Control ProgressEvent, which INSERT, UPDATE and DELETE accept in
 * RETURNING (as StackQL's examples write them) beside the resource's own columns.
 */
export const PROGRESS_EVENT_FIELDS = [
  'ErrorCode',
  'EventTime',
  'Identifier',
  'Operation',
  'OperationStatus',
  'RequestToken',
  'ResourceModel',
  'RetryAfter',
  'StatusMessage',
  'TypeName',
] as const;

/** The column names RETURNING reads event fields by: `operationstatus`, and always `event_operationstatus`. */
export function progressEventColumns(field: string): [string, string] {
  const lower = field.toLowerCase();
  return [lower, `event_${lower}`];
}
