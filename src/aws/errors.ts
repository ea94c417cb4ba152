/**
 * AWS SDK errors as CcqlErrors that keep what callers branch on: the AWS error code, the
 * operation, the region, and whether it is the kind of failure that may be local to one region
 * or row (a throttle that outlasted the retries, a 5xx, a network error) rather than a mistake
 * in the statement (an unsupported type, an invalid request).
 */
import { CcqlError } from '../errors.js';

/** Failures caused by the statement or the type, not by the moment: never worth a partial result. */
const STATEMENT_ERRORS = new Set([
  'InvalidRequestException',
  'ValidationException',
  'TypeNotFoundException',
  'UnsupportedActionException',
  'SerializationException',
  'UnknownOperationException',
  'CredentialsProviderError',
]);

export class AwsCallError extends CcqlError {
  constructor(
    message: string,
    readonly awsCode: string,
    readonly operation: string,
    readonly region: string,
    readonly httpStatus: number | undefined,
    cause: unknown,
  ) {
    super('aws', message, { cause, ...hintFor(awsCode) });
  }

  /** True when other regions/rows are still worth returning (unless the user asked for strict). */
  get partial(): boolean {
    return !STATEMENT_ERRORS.has(this.awsCode);
  }
}

export function toAwsCallError(e: unknown, operation: string, typeName: string, region: string): CcqlError {
  if (e instanceof CcqlError) return e;
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; code?: string };
  const code = err.name && err.name !== 'Error' ? err.name : (err.code ?? 'Error');
  const detail = (err.message ?? String(e)).split('\n')[0];
  const status = err.$metadata?.httpStatusCode;
  return new AwsCallError(`${operation} ${typeName} in ${region} failed: ${code}: ${detail}`, code, operation, region, status, e);
}

function hintFor(code: string): { hint?: string } {
  switch (code) {
    case 'AccessDeniedException':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
      return { hint: 'check the AWS credentials and their permissions (SHOW METHODS IN … lists the IAM permissions each operation needs)' };
    case 'ThrottlingException':
      return { hint: 'Cloud Control kept throttling after the retries; lower --concurrency or try again' };
    case 'TypeNotFoundException':
      return { hint: 'the resource type is not available in this region or account' };
    default:
      return {};
  }
}
