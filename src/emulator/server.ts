/**
 * The HTTP face of the emulator: awsJson1.0 over `POST /` with `X-Amz-Target:
 * CloudApiService.<Operation>`, as the AWS SDKs and the AWS CLI speak it. Signatures are
 * accepted without being verified; the region comes from the SigV4 credential scope. The knobs
 * (latency, throttling, faults) and the `/_ccql/` endpoints live here, in front of the service.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { CcqlError } from '../errors.js';
import { ApiError, type ApiErrorType } from './api-error.js';
import { OPERATIONS, type CloudControlService, type OperationNameApi } from './service.js';
import { TokenBuckets } from './throttle.js';
import { serveNative } from './native/router.js';
import { SchemaRefError } from './validation.js';
import { INVALID_SCOPE, headerValue, readBody, signedRegion } from './http-request.js';

/**
 * ServiceInternalErrorException over a 5xx status the SDKs do not retry on their own (they retry
 * 500/502/503/504): for failures a retry at once would only repeat, slowly, ten times over.
 */
export class InternalFaultError extends ApiError {
  override readonly status: number;

  constructor(message: string, status: 501 | 507) {
    super('ServiceInternalErrorException', message);
    this.status = status;
  }
}

/**
 * The state behind the service could not be read or written (a full disk, a read-only directory,
 * a lock held too long): HTTP 507 Insufficient Storage. The call's change was rolled back, so a
 * later retry is safe.
 */
export class StateUnavailableError extends InternalFaultError {
  constructor(message: string) {
    super(message, 507);
  }
}

/**
 * Larger bodies are refused without being read. A document member may hold 262,144 characters
 * (the service model's limit), which JSON escaping can make up to six bytes each.
 */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
export const DEFAULT_REGION = 'us-east-1';

export interface HttpOptions {
  latencyMs: number;
  throttleRps: number;
  faultRate: number;
  quiet: boolean;
  /**
   * Runs an operation against the state and makes what it changed durable before its response is
   * sent (with a data file: under the file's lock, see index.ts). Rejects with the operation's
   * ApiError, or a StateUnavailableError when the state could not be read or written.
   */
  run: <T>(fn: () => T) => Promise<T>;
  /** Source of randomness for fault injection (tests may make it deterministic). */
  random?: () => number;
}

export interface CallStats {
  calls: Partial<Record<OperationNameApi, number>>;
  total: number;
}

const TARGET_PREFIX = 'CloudApiService.';

const KNOWN = new Set<string>(OPERATIONS);

export class EmulatorHttp {
  readonly server: Server;
  readonly stats: CallStats = { calls: {}, total: 0 };
  private readonly throttle: TokenBuckets | undefined;
  private readonly random: () => number;

  constructor(
    private readonly service: CloudControlService,
    private readonly opts: HttpOptions,
  ) {
    this.throttle = opts.throttleRps > 0 ? new TokenBuckets(opts.throttleRps) : undefined;
    this.random = opts.random ?? Math.random;
    this.server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
      this.handle(req, res).catch((e: unknown) => this.internalError(res, e));
    });
    // A malformed HTTP request gets a 400 and the connection is closed; the server keeps serving.
    this.server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
  }

  resetStats(): void {
    this.stats.calls = {};
    this.stats.total = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/_ccql/stats' && req.method === 'GET') {
      req.resume();
      return send(res, 200, requestId, this.stats, 'application/json');
    }
    if (path === '/_ccql/reset' && req.method === 'POST') {
      req.resume();
      this.resetStats();
      return send(res, 200, requestId, this.stats, 'application/json');
    }
    // IVS, IVS real-time, EventBridge and AppStream in their own protocols (native/router.ts).
    if (await serveNative(req, res, { requestId, service: this.service, http: this.opts, stats: this.stats })) return;
    if (req.method !== 'POST' || path !== '/') {
      req.resume();
      return sendError(res, requestId, new ApiError('UnknownOperationException', `No operation is served at ${req.method} ${path}`));
    }

    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return this.tooLarge(req, res, requestId);
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === undefined) return this.tooLarge(req, res, requestId);

    const target = headerValue(req, 'x-amz-target');
    const operation = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
    if (operation === undefined || !KNOWN.has(operation)) {
      return sendError(res, requestId, new ApiError('UnknownOperationException', target ? `Unknown operation ${target}` : 'Missing X-Amz-Target header'));
    }
    const op = operation as OperationNameApi;
    this.stats.calls[op] = (this.stats.calls[op] ?? 0) + 1;
    this.stats.total++;

    const region = signedRegion(req, DEFAULT_REGION);
    if (region === undefined) return sendError(res, requestId, new ApiError('InvalidSignatureException', INVALID_SCOPE));
    if (this.opts.latencyMs > 0) await sleep(this.opts.latencyMs);
    if (this.throttle && !this.throttle.take(region)) return sendError(res, requestId, new ApiError('ThrottlingException', 'Rate exceeded'));
    if (this.opts.faultRate > 0 && this.random() < this.opts.faultRate) {
      return sendError(res, requestId, new ApiError('ServiceInternalErrorException', 'The service encountered an internal error (injected fault). Retry the request.'));
    }

    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return sendError(res, requestId, new ApiError('SerializationException', 'The request body is not valid JSON'));
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return sendError(res, requestId, new ApiError('SerializationException', 'The request body must be a JSON object'));
    }

    let output: unknown;
    try {
      output = await this.opts.run(() => this.service.call(op, input as Record<string, unknown>, region));
    } catch (e) {
      if (e instanceof StateUnavailableError && !this.opts.quiet) process.stderr.write(`ccql emulator: ${op}: ${e.message}\n`);
      if (e instanceof ApiError) return sendError(res, requestId, e);
      if (e instanceof CcqlError) {
        // A known failure outside the request itself (a provider schema with a $ref that does not
        // resolve): its message to the client and the log, no stack trace; 501, as the emulator
        // cannot serve the type until its definition is fixed.
        const err = e instanceof SchemaRefError ? e.forType(typeof (input as Record<string, unknown>).TypeName === 'string' ? String((input as Record<string, unknown>).TypeName) : undefined) : e;
        const message = err.hint ? `${err.message}; ${err.hint}` : err.message;
        if (!this.opts.quiet) process.stderr.write(`ccql emulator: ${op}: ${message}\n`);
        return sendError(res, requestId, new InternalFaultError(message, 501));
      }
      throw e;
    }
    send(res, 200, requestId, output);
  }

  private tooLarge(req: IncomingMessage, res: ServerResponse, requestId: string): void {
    res.setHeader('Connection', 'close');
    sendError(res, requestId, new ApiError('RequestEntityTooLargeException', `Request body is larger than ${MAX_BODY_BYTES} bytes`));
    // Stop reading an oversized upload; the client gets the answer and a closed connection.
    res.on('finish', () => req.socket.destroy());
  }

  private internalError(res: ServerResponse, e: unknown): void {
    if (!this.opts.quiet) process.stderr.write(`ccql emulator: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendError(res, randomUUID(), new ApiError('ServiceInternalErrorException', 'The emulator failed to handle the request.'));
  }
}



function send(res: ServerResponse, status: number, requestId: string, body: unknown, contentType = 'application/x-amz-json-1.0'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
  });
  res.end(text);
}

function sendError(res: ServerResponse, requestId: string, e: ApiError): void {
  const type: ApiErrorType = e.type;
  res.setHeader('x-amzn-ErrorType', type);
  send(res, e.status, requestId, { __type: type, Message: e.message });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
