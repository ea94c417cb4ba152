/**
 * The resource API seam: what exec/ calls to read and change resources, whoever serves them.
 * Cloud Control (cloudcontrol.ts) is one implementation; native AWS SDK methods plug in beside
 * it, chosen by a provider method's `call.api`, with no change to exec/.
 */

export interface Resource {
  identifier: string;
  /** Properties by CloudFormation name. */
  properties: Record<string, unknown>;
}

/** A mutation request's state, in Cloud Control's ProgressEvent shape (StackQL users RETURN these fields). */
export interface RequestEvent {
  TypeName?: string | undefined;
  Identifier?: string | undefined;
  RequestToken?: string | undefined;
  HooksRequestToken?: string | undefined;
  Operation?: string | undefined;
  OperationStatus?: string | undefined;
  EventTime?: Date | undefined;
  ResourceModel?: string | undefined;
  StatusMessage?: string | undefined;
  ErrorCode?: string | undefined;
  RetryAfter?: Date | undefined;
}

export interface CallContext {
  signal?: AbortSignal | undefined;
  /** Told when a call is about to be made and when it finishes (for progress). */
  onStart?: (() => void) | undefined;
  onCall?: (() => void) | undefined;
}

export interface ResourceApi {
  /** Every page of the list; `parents` carries list parents (e.g. `{ChannelArn: …}`). */
  list(typeName: string, region: string, parents: Record<string, unknown> | undefined, call: CallContext): AsyncGenerator<Resource[]>;
  /** One resource, or undefined when it does not exist. */
  get(typeName: string, region: string, identifier: string, call: CallContext): Promise<Resource | undefined>;
  create(typeName: string, region: string, desiredState: Readonly<Record<string, unknown>>, clientToken: string, call: CallContext): Promise<RequestEvent>;
  update(typeName: string, region: string, identifier: string, patch: readonly unknown[], clientToken: string, call: CallContext): Promise<RequestEvent>;
  delete(typeName: string, region: string, identifier: string, clientToken: string, call: CallContext): Promise<RequestEvent>;
  /** Polls until the request is finished (SUCCESS, FAILED or CANCEL_COMPLETE). */
  wait(event: RequestEvent, region: string, call: CallContext): Promise<RequestEvent>;
  /** The request's state now. */
  status(requestToken: string, region: string, call: CallContext): Promise<RequestEvent>;
  /** Asks for the request to be cancelled. */
  cancel(requestToken: string, region: string, call: CallContext): Promise<RequestEvent>;
}

export function isFinalStatus(status: string | undefined): boolean {
  return status === 'SUCCESS' || status === 'FAILED' || status === 'CANCEL_COMPLETE';
}
