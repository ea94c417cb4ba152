/**
 * Errors the native services answer with: an error code (the shape name the SDKs turn into an
 * exception class) and a message. The HTTP status and the member the message travels in come
 * from the service model where it declares the error (IVS: `exceptionMessage`, AppStream:
 * `Message`, EventBridge: `message`), and from AWS's common errors otherwise.
 */
import type { ServiceModel } from './model.js';

export class NativeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Overrides the status the model (or the common table) gives the code. */
    readonly statusOverride?: number,
  ) {
    super(message);
    this.name = code;
  }
}

/** Errors every AWS front end may answer with, whether or not an operation's model lists them. */
const COMMON: Record<string, { json: number; rest: number }> = {
  ValidationException: { json: 400, rest: 400 },
  SerializationException: { json: 400, rest: 400 },
  UnknownOperationException: { json: 400, rest: 404 },
  ThrottlingException: { json: 400, rest: 429 },
  InternalFailure: { json: 500, rest: 500 },
  ServiceUnavailable: { json: 503, rest: 503 },
  RequestEntityTooLargeException: { json: 413, rest: 413 },
  InvalidSignatureException: { json: 403, rest: 403 },
};

export function errorStatus(model: ServiceModel, e: NativeError): number {
  if (e.statusOverride !== undefined) return e.statusOverride;
  const shape = model.shapes[e.code];
  if (shape?.exception) return shape.status ?? (shape.fault ? 500 : 400);
  const common = COMMON[e.code];
  if (common) return model.protocol === 'json' ? common.json : common.rest;
  return 400;
}

/** The body member the message travels in: the error shape's own, `message` by default. */
export function messageMember(model: ServiceModel, code: string): string {
  const members = model.shapes[code]?.members ?? {};
  for (const name of ['exceptionMessage', 'Message', 'message']) {
    if (members[name] && !members[name]!.location) return name;
  }
  return 'message';
}

/** The front end's wording for constraint violations. */
export function validationError(problems: string[]): NativeError {
  const n = problems.length;
  return new NativeError('ValidationException', `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
}

/** What a service answers while the fault knob is set, and for failures of the state behind it. */
export function internalErrorCode(model: ServiceModel): string {
  for (const code of ['InternalServerException', 'InternalException']) if (model.shapes[code]?.exception) return code;
  return 'InternalFailure';
}

