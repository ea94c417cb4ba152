/**
 * `--seed demo`: a small, believable account for newcomers (`ccql … --local`): IVS stages,
 * channels and stream keys (each key on a channel of the same region), and EventBridge
 * connections whose credentials are write-only (stored, never returned), in us-east-1 and
 * us-west-2, and AppStream fleets (one running), a stack and its sessions, made through the
 * native API's own handlers. Created through the same paths as the API calls, so every model is
 * validated.
 */
import { seedNativeDemo } from './native/index.js';
import type { CloudControlService } from './service.js';

const REGIONS = ['us-east-1', 'us-west-2'] as const;

export function seedDemo(service: CloudControlService): void {
  for (const region of REGIONS) {
    const short = region === 'us-east-1' ? 'east' : 'west';
    service.seed('AWS::IVS::Stage', region, [
      { Name: `townhall-${short}`, Tags: [{ Key: 'team', Value: 'events' }] },
      { Name: `support-office-hours-${short}`, Tags: [{ Key: 'team', Value: 'support' }] },
      { Name: `game-night-${short}` },
    ]);
    const channels = service.seed('AWS::IVS::Channel', region, [
      { Name: `keynote-${short}`, LatencyMode: 'LOW', Type: 'STANDARD', Tags: [{ Key: 'env', Value: 'prod' }] },
      { Name: `backstage-${short}`, LatencyMode: 'NORMAL', Type: 'BASIC', Authorized: true },
    ]);
    service.seed(
      'AWS::IVS::StreamKey',
      region,
      channels.map((c) => ({ ChannelArn: c.properties.Arn as string, Tags: [{ Key: 'owner', Value: 'demo' }] })),
    );
    service.seed('AWS::Events::Connection', region, [
      {
        Name: `billing-api-${short}`,
        Description: 'Billing partner API',
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'demo-api-key-not-a-real-secret' } },
      },
      {
        Name: `crm-webhook-${short}`,
        AuthorizationType: 'BASIC',
        AuthParameters: { BasicAuthParameters: { Username: 'ccql-demo', Password: 'demo-password-not-a-real-secret' } },
      },
    ]);
  }
  seedNativeDemo(service);
}
