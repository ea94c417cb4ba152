/**
 * Errors the emulator answers with, shaped like the real Cloud Control service's: an awsJson1.0
 * body `{"__type": …, "Message": …}` and the HTTP status the real service uses for that type
 * (the statuses are the ones in the service model the AWS SDK is generated from).
 */

export const ERROR_STATUS = {
  AlreadyExistsException: 400,
  ClientTokenConflictException: 409,
  ConcurrentModificationException: 500,
  ConcurrentOperationException: 409,
  GeneralServiceException: 400,
  InvalidRequestException: 400,
  NotUpdatableException: 400,
  RequestTokenNotFoundException: 404,
  ResourceConflictException: 409,
  ResourceNotFoundException: 404,
  ServiceInternalErrorException: 502,
  ThrottlingException: 429,
  TypeNotFoundException: 404,
  UnsupportedActionException: 405,
  // Not in the SDK's model, but what the service's front end sends (the SDK surfaces the name).
  ValidationException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  RequestEntityTooLargeException: 413,
  InvalidSignatureException: 403,
} as const;

export type ApiErrorType = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  readonly type: ApiErrorType;
  readonly status: number;

  constructor(type: ApiErrorType, message: string) {
    super(message);
    this.name = type;
    this.type = type;
    this.status = ERROR_STATUS[type];
  }
}

/** The wording the real service uses for a missing resource. */
export function notFoundMessage(typeName: string, identifier: string): string {
  return `Resource of type '${typeName}' with identifier '${identifier}' was not found.`;
}

export function alreadyExistsMessage(typeName: string, identifier: string): string {
  return `Resource of type '${typeName}' with identifier '${identifier}' already exists.`;
}

/** The front end's member-constraint wording ("1 validation error detected: …"). */
export function memberValidationError(problems: string[]): ApiError {
  const n = problems.length;
  return new ApiError('ValidationException', `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
}
