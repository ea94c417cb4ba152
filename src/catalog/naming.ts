/**
 * Naming rules from DESIGN.md: `AWS::IVS::StreamKey` → service `ivs`, resource `stream_keys`;
 * property `ActiveSessionId` → column `active_session_id`.
 */

/**
 * Words AWS writes in mixed case that read as one word: `GraphQLApi` → `graphql_api`,
 * `AllowedOAuthFlows` → `allowed_oauth_flows`, `IPv6Addresses` → `ipv6_addresses`,
 * `LocationFSxLustre` → `location_fsx_lustre`. Without them the case changes inside the word
 * split it (`graph_ql`, `o_auth`, `i_pv6`, `f_sx`).
 */
const MIXED_CASE_WORDS = ['GraphQL', 'OAuth', 'OTel', 'IPv4', 'IPv6', 'IPsec', 'FSx', 'InfluxDB', 'MySQL', 'DDoS', 'MACSec', 'IdC', 'LoRaWAN', 'ETag', 'KiB', 'MiB', 'GiB', 'TiB'];
/** One of those words (with a plural `s`), where it is not the start of a longer word (`IdCard`). */
const MIXED_CASE_WORD = new RegExp(`(?:${MIXED_CASE_WORDS.join('|')})s?(?![a-z])`, 'g');

/**
 * PascalCase/camelCase → snake_case, the rule for every table and column name:
 * - acronyms stay together (`VPCEndpoint` → `vpc_endpoint`, `DBInstanceARN` → `db_instance_arn`);
 * - a plural acronym is one word (`ProviderARNs` → `provider_arns`, `VPCs` → `vpcs`,
 *   `SizeInTBs` → `size_in_tbs`);
 * - the mixed-case words above are one word (`GraphQL` → `graphql`, `OAuth` → `oauth`);
 * - digits stick to the word before them (`Ipv6Address` → `ipv6_address`, `S3Bucket` →
 *   `s3_bucket`, `EC2Fleet` → `ec2_fleet`).
 */
export function snakeCase(name: string): string {
  const words = name
    // "GcpMySQLSettings" → "Gcp_mysqlSettings": the word lower-cased, so nothing below splits it
    .replace(MIXED_CASE_WORD, (w) => `_${w.toLowerCase()}`)
    // "ProviderARNsList" → "Provider_arnsList"
    .replace(/([A-Z]{2,})s(?![a-z])/g, (_m, run: string) => `_${run.toLowerCase()}s`);
  return legacySnakeCase(words);
}

/**
 * The snake_case ccql used before plural acronyms and mixed-case words were single words
 * (`ProviderARNs` → `provider_ar_ns`, `GraphQLApi` → `graph_ql_api`). The generator keeps the
 * names it gives as aliases, so statements written with them still run.
 */
export function legacySnakeCase(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9]+/g, '_')
      // "VPCEndpoint" → "VPC_Endpoint": an upper-case run followed by a capitalised word
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
      // "activeSession" → "active_Session", "ipv6Address" → "ipv6_Address"
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/_+/g, '_')
      .replace(/^_|_$/g, '')
  );
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

const REGION_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Why `name` cannot be an AWS region (undefined: it can be one). A region's name is a lower-case
 * DNS label of letters, digits and dashes (us-east-1, us-gov-west-1, cn-north-1); a name of
 * another form would be signed and sent as it is, and an endpoint may then answer for another
 * region (the emulator did, for `US-WEST-2`) instead of refusing it.
 */
export function regionNameProblem(name: string): { message: string; hint: string } | undefined {
  if (REGION_NAME.test(name)) return undefined;
  const lower = name.trim().toLowerCase();
  const hint = REGION_NAME.test(lower) ? `region names are lower case, without spaces: '${lower}'` : "a region's name is letters, digits and dashes, such as 'us-east-1'";
  return { message: `'${name}' is not the name of a region`, hint };
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

/*
 * StackQL's names. StackQL's AWS Cloud Control provider (`awscc`) spells tables and columns by
 * rules of its own; ccql gives every resource and column those spellings as aliases, so that
 * statements from StackQL's pages run unchanged. The rules, as its provider generator applies
 * them (reproduced here, checked against its published pages):
 *
 * Tables: the last type-name segment in snake_case where an upper-case run that ends where a
 * capitalised word starts is joined to the word before it (`GraphQLApi` → `graphql_api`,
 * `VirtualMFADevice` → `virtualmfa_device`, `EC2Fleet` → `ec2fleet`: digits never split), then
 * the English plural of the whole name by the `pluralize` package (`index` → `indices`).
 *
 * Columns: a fixed list of acronyms is first written as capitalised words (`ARN` → `Arn`,
 * `VPC` → `Vpc`, `OAuth` → `Oauth`…), then an underscore goes before every capital that
 * follows a letter, digit or underscore, pairs taken left to right without overlapping (so
 * `ProviderARNs` → `provider_arns`, `CSS` → `c_ss`, `EIP` → `e_ip`); in its views, a few
 * names that are SQL words get a leading underscore (`values` → `_values`), its pages show
 * them without.
 */

/**
 * The acronyms StackQL writes as words before splitting column names, in the order it applies
 * them (each replaces every occurrence, so `VPCDHCP` must come before `VPC`). Its pages use the
 * list without the entries marked `views`.
 */
const STACKQL_ACRONYMS: ReadonlyArray<readonly [string, string, 'views'?]> = [
  ['DB', 'Db'],
  ['ARN', 'Arn'],
  ['WAN', 'Wan'],
  ['URL', 'Url'],
  ['VPCDHCP', 'VpcDhcp', 'views'],
  ['EC2Fleet', 'Ec2_Fleet', 'views'],
  ['VPC', 'Vpc'],
  ['DHCP', 'Dhcp', 'views'],
  ['DNS', 'Dns'],
  ['IP', 'Ip'],
  ['IAM', 'Iam'],
  ['IPAM', 'Ipam', 'views'],
  ['TLS', 'Tls'],
  ['SSM', 'Ssm'],
  ['CNAME', 'Cname'],
  ['SQ', 'Sq'],
  ['ML', 'Ml'],
  ['SKU', 'Sku'],
  ['KMS', 'Kms'],
  ['OK', 'Ok'],
  ['CA', 'Ca'],
  ['ID', 'Id'],
  ['TTL', 'Ttl'],
  ['URI', 'Uri'],
  ['LB', 'Lb'],
  ['SNS', 'Sns'],
  ['AWS', 'Aws'],
  ['ACL', 'Acl'],
  ['AZ', 'Az'],
  ['API', 'Api'],
  ['MSK', 'Msk'],
  ['ECS', 'Ecs'],
  ['EBS', 'Ebs'],
  ['CWE', 'Cwe'],
  ['SSE', 'Sse'],
  ['HPO', 'Hpo'],
  ['LF', 'Lf'],
  ['WAL', 'Wal'],
  ['MFA', 'Mfa', 'views'],
  ['OAuth', 'Oauth'],
];

/** Column names StackQL's views prefix with `_` (SQL words). */
const STACKQL_PREFIXED = new Set(['values', 'schema', 'database', 'format', 'update', 'force', 'match', 'registry']);

/** StackQL's column split: `_` before a capital that follows a word character, pairs not overlapping. */
function stackqlSplit(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    const next = name[i + 1];
    if (next !== undefined && /\w/.test(c) && /[A-Z]/.test(next)) {
      out += `${c}_${next}`;
      i++;
    } else out += c;
  }
  return out.toLowerCase();
}

/**
 * The spellings StackQL gives a property's column: its views' first (`_values`), then its
 * pages' where that differs (`values`). `ProviderARNs` → [`provider_arns`].
 */
export function stackqlColumnNames(property: string): string[] {
  const spell = (pages: boolean): string => {
    let s = property;
    for (const [acronym, word, only] of STACKQL_ACRONYMS) if (!(pages && only === 'views')) s = s.split(acronym).join(word);
    return stackqlSplit(s);
  };
  const inView = spell(false);
  const names = [STACKQL_PREFIXED.has(inView) ? `_${inView}` : inView, spell(true)];
  return [...new Set(names)];
}

/**
 * The names StackQL gives a type's table (`AWS::AppSync::GraphQLApi` → [`graphql_apis`]): its
 * generator's, and for names ending in `schema` also `…schemata`, which its published pages
 * still use.
 */
export function stackqlResourceNames(typeName: string): string[] {
  const snake = splitTypeName(typeName)
    .last.replace(/([A-Z]+)([A-Z][a-z])/g, (_m, run: string, word: string) => `${run.toLowerCase()}_${word.toLowerCase()}`)
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/_+/g, '_');
  const plural = stackqlPlural(snake);
  return snake.endsWith('schema') ? [plural, `${snake.slice(0, -'schema'.length)}schemata`] : [plural];
}

/**
 * The plural StackQL's `pluralize` package gives, for every name the registry's types end in:
 * ccql's English plural but for Latin `-ex`/`-ix` nouns (`index` → `indices`, `vertex` →
 * `vertices`); `schema` → `schemas`, as StackQL's generator asks of that package.
 */
function stackqlPlural(snake: string): string {
  if (/(?:ind|vert|matr|append|cod)(?:ex|ix)$/.test(snake)) return snake.replace(/(?:ex|ix)$/, 'ices');
  return pluralize(snake);
}
