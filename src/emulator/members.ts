/**
 * The request members of each Cloud Control operation and their constraints, as the current
 * service model gives them (botocore's cloudcontrol/2021-09-30/service-2.json, the same model the
 * AWS SDKs are generated from): lengths, patterns and enums. The service's front end checks
 * every member before the operation runs and reports every violation at once:
 * `2 validation errors detected: Value 'x' at 'typeName' failed to satisfy constraint: Member
 * must satisfy regular expression pattern: …; Value …`. Members marked sensitive in the model
 * (documents, which may hold secrets) are never quoted.
 */
import { ApiError, memberValidationError } from './api-error.js';
import type { OperationNameApi } from './service.js';

interface StringShape {
  kind: 'string';
  min: number;
  max: number;
  pattern?: string;
  sensitive?: boolean;
}
interface IntegerShape {
  kind: 'integer';
  min: number;
  max: number;
}
interface EnumListShape {
  kind: 'enum-list';
  values: readonly string[];
}
type Shape = StringShape | IntegerShape | EnumListShape;

const TYPE_NAME: StringShape = { kind: 'string', min: 10, max: 196, pattern: '[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}' };
const TYPE_VERSION_ID: StringShape = { kind: 'string', min: 1, max: 128, pattern: '[A-Za-z0-9-]+' };
const ROLE_ARN: StringShape = { kind: 'string', min: 20, max: 2048, pattern: 'arn:.+:iam::[0-9]{12}:role/.+' };
const CLIENT_TOKEN: StringShape = { kind: 'string', min: 1, max: 128, pattern: '[-A-Za-z0-9+/=]+' };
const IDENTIFIER: StringShape = { kind: 'string', min: 1, max: 1024, pattern: '.+' };
const PROPERTIES: StringShape = { kind: 'string', min: 1, max: 262144, pattern: '[\\s\\S]*', sensitive: true };
const PATCH_DOCUMENT: StringShape = { kind: 'string', min: 1, max: 262144, pattern: '[\\s\\S]*', sensitive: true };
const HANDLER_NEXT_TOKEN: StringShape = { kind: 'string', min: 1, max: 4096, pattern: '.+' };
const NEXT_TOKEN: StringShape = { kind: 'string', min: 1, max: 2048, pattern: '[-A-Za-z0-9+/=]+' };
const REQUEST_TOKEN: StringShape = { kind: 'string', min: 1, max: 128, pattern: '[-A-Za-z0-9+/=]+' };
const MAX_RESULTS: IntegerShape = { kind: 'integer', min: 1, max: 100 };

export const MAX_DOCUMENT = PROPERTIES.max;

interface Member {
  name: string;
  shape: Shape;
  required?: boolean;
}

const COMMON = (required: string[], ...members: Array<[string, Shape]>): Member[] => members.map(([name, shape]) => ({ name, shape, ...(required.includes(name) ? { required: true } : {}) }));

/** Members in the model's order, which is the order the service reports them in. */
export const OPERATION_MEMBERS: Record<OperationNameApi, Member[]> = {
  CreateResource: COMMON(['TypeName', 'DesiredState'], ['TypeName', TYPE_NAME], ['TypeVersionId', TYPE_VERSION_ID], ['RoleArn', ROLE_ARN], ['ClientToken', CLIENT_TOKEN], ['DesiredState', PROPERTIES]),
  GetResource: COMMON(['TypeName', 'Identifier'], ['TypeName', TYPE_NAME], ['TypeVersionId', TYPE_VERSION_ID], ['RoleArn', ROLE_ARN], ['Identifier', IDENTIFIER]),
  UpdateResource: COMMON(
    ['TypeName', 'Identifier', 'PatchDocument'],
    ['TypeName', TYPE_NAME],
    ['TypeVersionId', TYPE_VERSION_ID],
    ['RoleArn', ROLE_ARN],
    ['ClientToken', CLIENT_TOKEN],
    ['Identifier', IDENTIFIER],
    ['PatchDocument', PATCH_DOCUMENT],
  ),
  DeleteResource: COMMON(['TypeName', 'Identifier'], ['TypeName', TYPE_NAME], ['TypeVersionId', TYPE_VERSION_ID], ['RoleArn', ROLE_ARN], ['ClientToken', CLIENT_TOKEN], ['Identifier', IDENTIFIER]),
  ListResources: COMMON(['TypeName'], ['TypeName', TYPE_NAME], ['TypeVersionId', TYPE_VERSION_ID], ['RoleArn', ROLE_ARN], ['NextToken', HANDLER_NEXT_TOKEN], ['MaxResults', MAX_RESULTS], ['ResourceModel', PROPERTIES]),
  GetResourceRequestStatus: COMMON(['RequestToken'], ['RequestToken', REQUEST_TOKEN]),
  ListResourceRequests: COMMON([], ['MaxResults', MAX_RESULTS], ['NextToken', NEXT_TOKEN]),
  CancelResourceRequest: COMMON(['RequestToken'], ['RequestToken', REQUEST_TOKEN]),
};

/** The filter's enum members (ListResourceRequests.ResourceRequestStatusFilter). */
export const FILTER_MEMBERS: Array<{ name: string; at: string; shape: EnumListShape }> = [
  { name: 'Operations', at: 'resourceRequestStatusFilter.operations', shape: { kind: 'enum-list', values: ['CREATE', 'DELETE', 'UPDATE'] } },
  {
    name: 'OperationStatuses',
    at: 'resourceRequestStatusFilter.operationStatuses',
    shape: { kind: 'enum-list', values: ['PENDING', 'IN_PROGRESS', 'SUCCESS', 'FAILED', 'CANCEL_IN_PROGRESS', 'CANCEL_COMPLETE'] },
  },
];

const patterns = new Map<string, RegExp>();
function anchored(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    patterns.set(pattern, re);
  }
  return re;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function shown(v: unknown, shape: Shape): string {
  if (shape.kind === 'string' && shape.sensitive) return '';
  const s = Array.isArray(v) ? `[${v.join(', ')}]` : String(v);
  return ` '${s.length > 256 ? `${s.slice(0, 256)}…` : s}'`;
}

/** Every constraint violation of one member, in the service's wording. */
function problemsOf(value: unknown, at: string, shape: Shape, required: boolean): string[] {
  if (value === undefined || value === null) return required ? [`Value null at '${at}' failed to satisfy constraint: Member must not be null`] : [];
  const prefix = `Value${shown(value, shape)} at '${at}' failed to satisfy constraint: Member must`;
  const out: string[] = [];
  if (shape.kind === 'string') {
    const s = value as string;
    if (shape.pattern && !anchored(shape.pattern).test(s)) out.push(`${prefix} satisfy regular expression pattern: ${shape.pattern}`);
    if (s.length < shape.min) out.push(`${prefix} have length greater than or equal to ${shape.min}`);
    if (s.length > shape.max) out.push(`${prefix} have length less than or equal to ${shape.max}`);
  } else if (shape.kind === 'integer') {
    const n = value as number;
    if (n < shape.min) out.push(`${prefix} have value greater than or equal to ${shape.min}`);
    if (n > shape.max) out.push(`${prefix} have value less than or equal to ${shape.max}`);
  } else {
    const bad = (value as string[]).some((x) => !shape.values.includes(x));
    if (bad) out.push(`${prefix} satisfy constraint: [Member must satisfy enum value set: [${shape.values.join(', ')}]]`);
  }
  return out;
}

function checkType(value: unknown, name: string, shape: Shape): void {
  if (value === undefined || value === null) return;
  if (shape.kind === 'string' && typeof value !== 'string') throw new ApiError('SerializationException', `Member '${name}' must be a string`);
  if (shape.kind === 'integer' && (typeof value !== 'number' || !Number.isInteger(value))) throw new ApiError('SerializationException', `Member '${name}' must be an integer`);
  if (shape.kind === 'enum-list' && (!Array.isArray(value) || value.some((x) => typeof x !== 'string'))) throw new ApiError('SerializationException', `Member '${name}' must be a list of strings`);
}

/**
 * Checks every member of an operation's input; throws one ValidationException listing every
 * violation (a SerializationException first for a member of the wrong JSON type).
 */
export function checkMembers(operation: OperationNameApi, input: Record<string, unknown>): void {
  const problems: string[] = [];
  for (const m of OPERATION_MEMBERS[operation]) {
    checkType(input[m.name], m.name, m.shape);
    problems.push(...problemsOf(input[m.name], lowerFirst(m.name), m.shape, m.required === true));
  }
  if (operation === 'ListResourceRequests') {
    const filter = input.ResourceRequestStatusFilter;
    if (filter !== undefined && filter !== null) {
      if (typeof filter !== 'object' || Array.isArray(filter)) throw new ApiError('SerializationException', 'ResourceRequestStatusFilter must be an object');
      for (const m of FILTER_MEMBERS) {
        const v = (filter as Record<string, unknown>)[m.name];
        checkType(v, m.at, m.shape);
        problems.push(...problemsOf(v, m.at, m.shape, false));
      }
    }
  }
  if (problems.length > 0) throw memberValidationError(problems);
}
