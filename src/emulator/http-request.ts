/**
 * Reading an HTTP request, the same for Cloud Control (server.ts) and the native APIs
 * (native/router.ts): one header's value, the region it was signed for, and the body within a
 * size limit.
 */
import type { IncomingMessage } from 'node:http';
import { regionNameProblem } from '../catalog/naming.js';

/** The region of a SigV4 Authorization header's credential scope (…/20260101/us-east-1/service/aws4_request). */
const CREDENTIAL_SCOPE = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/[^/]+\/aws4_request/;

/** AWS's answer to a request signed for no region's name (`US-WEST-2`). */
export const INVALID_SCOPE = 'Credential should be scoped to a valid region.';

/**
 * The region a request was signed for: `fallback` for an unsigned request (curl), undefined
 * for one signed for what is no region's name, which AWS refuses too.
 */
export function signedRegion(req: IncomingMessage, fallback: string): string | undefined {
  const scope = CREDENTIAL_SCOPE.exec(headerValue(req, 'authorization') ?? '')?.[1];
  if (scope === undefined) return fallback;
  return regionNameProblem(scope) ? undefined : scope;
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The body, or undefined once it exceeds `limit` bytes (the rest is not kept). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        resolve(undefined);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!over) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}
