/**
 * TagResource, UntagResource and ListTagsForResource, which IVS and IVS real-time share (the same
 * paths, any IVS ARN). Tags live in the CloudFormation model's `Tags`, so Cloud Control sees them.
 */
import type { JsonObject } from '../../schema/pointer.js';
import { NativeError } from './errors.js';
import type { Handler } from './services.js';
import { tagsFromCfn, tagsToCfn, type NativeContext } from './state.js';

const TYPE_BY_RESOURCE: Record<string, string> = {
  channel: 'AWS::IVS::Channel',
  'stream-key': 'AWS::IVS::StreamKey',
  stage: 'AWS::IVS::Stage',
};

const ARN = /^arn:aws:ivs:([a-z0-9-]+):(\d+):([a-z-]+)\/[a-zA-Z0-9-]+$/;

function tagged(ctx: NativeContext, arn: string): { typeName: string; model: JsonObject } {
  const m = ARN.exec(arn);
  const typeName = m ? TYPE_BY_RESOURCE[m[3]!] : undefined;
  const model = typeName && m![1] === ctx.region ? ctx.get(typeName, arn) : undefined;
  if (!typeName || !model) throw new NativeError('ResourceNotFoundException', `Resource ${arn} not found`);
  return { typeName, model };
}

export const tagHandlers: Record<string, Handler> = {
  TagResource(ctx, input) {
    const arn = input.resourceArn as string;
    const { typeName, model } = tagged(ctx, arn);
    const tags = { ...tagsFromCfn(model.Tags), ...(input.tags as Record<string, string>) };
    if (Object.keys(tags).length > 50) throw new NativeError('ValidationException', 'A resource can have at most 50 tags');
    model.Tags = tagsToCfn(tags);
    ctx.put(typeName, arn, model);
    return {};
  },
  UntagResource(ctx, input) {
    const arn = input.resourceArn as string;
    const { typeName, model } = tagged(ctx, arn);
    const tags = tagsFromCfn(model.Tags);
    for (const k of input.tagKeys as string[]) delete tags[k];
    model.Tags = tagsToCfn(tags);
    ctx.put(typeName, arn, model);
    return {};
  },
  ListTagsForResource(ctx, input) {
    const { model } = tagged(ctx, input.resourceArn as string);
    return { tags: tagsFromCfn(model.Tags) };
  },
};
