/**
 * EventBridge connections through the real @aws-sdk/client-eventbridge over HTTP, with each
 * authorization type. The credentials are kept (the store has them, so the connection works)
 * and appear in no response of either API, nor in any error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateConnectionCommand,
  DeauthorizeConnectionCommand,
  DescribeConnectionCommand,
  ListConnectionsCommand,
  UpdateConnectionCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateResourceCommand, GetResourceCommand, ListResourcesCommand } from '@aws-sdk/client-cloudcontrol';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { model } from '../../src/emulator/native/models/events.js';
import { configureNative } from '../../src/emulator/native/router.js';
import { ccDone, clients, failure, json11, outputProblems, pollUntil, startNative } from './native-helpers.js';

let emu: RunningEmulator;
let c: ReturnType<typeof clients>;

beforeAll(async () => {
  emu = await startNative();
  c = clients(emu);
});
afterAll(async () => {
  await emu.stop();
});

const API_KEY = 'key-value-do-not-show-1';
const PASSWORD = 'password-do-not-show-2';
const CLIENT_SECRET = 'client-secret-do-not-show-3';
const HEADER_SECRET = 'header-secret-do-not-show-4';

/** Every raw body the native API and Cloud Control answer about a connection. */
async function everyResponse(name: string): Promise<string[]> {
  const out = [
    (await json11(emu, 'AWSEvents.DescribeConnection', { Name: name })).text,
    (await json11(emu, 'AWSEvents.ListConnections', {})).text,
    (await json11(emu, 'AWSEvents.ListConnections', { NamePrefix: name })).text,
  ];
  const cc = await c.cc.send(new GetResourceCommand({ TypeName: 'AWS::Events::Connection', Identifier: name }));
  out.push(JSON.stringify(cc.ResourceDescription));
  out.push(JSON.stringify((await c.cc.send(new ListResourcesCommand({ TypeName: 'AWS::Events::Connection', MaxResults: 100 }))).ResourceDescriptions));
  out.push(JSON.stringify(emu.stats()));
  return out;
}

describe('connections', () => {
  it('an API key connection is created, described and listed, and the key appears in no output', async () => {
    const created = await json11(emu, 'AWSEvents.CreateConnection', {
      Name: 'billing',
      Description: 'Billing partner',
      AuthorizationType: 'API_KEY',
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: API_KEY } },
    });
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(outputProblems(model, 'CreateConnection', created.json)).toEqual([]);
    expect(created.json.ConnectionState).toBe('AUTHORIZED');
    expect(created.json.ConnectionArn).toMatch(/^arn:aws:events:us-east-1:123456789012:connection\/billing\/[-0-9a-f]{36}$/);
    expect(typeof created.json.CreationTime).toBe('number');
    expect(created.text).not.toContain(API_KEY);

    const d = await c.events.send(new DescribeConnectionCommand({ Name: 'billing' }));
    expect(d).toMatchObject({
      Name: 'billing',
      Description: 'Billing partner',
      ConnectionState: 'AUTHORIZED',
      AuthorizationType: 'API_KEY',
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' } },
    });
    expect(d.SecretArn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection\/billing\//);
    expect(d.CreationTime).toBeInstanceOf(Date);
    expect(d.LastAuthorizedTime).toBeInstanceOf(Date);
    const raw = await json11(emu, 'AWSEvents.DescribeConnection', { Name: 'billing' });
    expect(outputProblems(model, 'DescribeConnection', raw.json)).toEqual([]);

    const listed = await c.events.send(new ListConnectionsCommand({ NamePrefix: 'bill' }));
    expect(listed.Connections?.map((x) => [x.Name, x.ConnectionState, x.AuthorizationType])).toEqual([['billing', 'AUTHORIZED', 'API_KEY']]);

    for (const body of await everyResponse('billing')) expect(body).not.toContain(API_KEY);
    // Kept all the same: the connection holds its key (Cloud Control's write-only property).
    expect(emu.service.store.get('us-east-1', 'AWS::Events::Connection', 'billing')?.model.AuthParameters).toEqual({
      ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: API_KEY },
    });
  });

  it('BASIC and OAuth connections hide the password, the client secret and secret parameter values', async () => {
    await c.events.send(
      new CreateConnectionCommand({
        Name: 'basic',
        AuthorizationType: 'BASIC',
        AuthParameters: {
          BasicAuthParameters: { Username: 'svc', Password: PASSWORD },
          InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-secret', Value: HEADER_SECRET, IsValueSecret: true }, { Key: 'x-team', Value: 'billing' }] },
        },
      }),
    );
    const basic = await c.events.send(new DescribeConnectionCommand({ Name: 'basic' }));
    expect(basic.AuthParameters).toEqual({
      BasicAuthParameters: { Username: 'svc' },
      InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-secret', IsValueSecret: true }, { Key: 'x-team', Value: 'billing', IsValueSecret: false }] },
    });

    const oauth = await c.events.send(
      new CreateConnectionCommand({
        Name: 'oauth',
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: {
          OAuthParameters: {
            ClientParameters: { ClientID: 'client-1', ClientSecret: CLIENT_SECRET },
            AuthorizationEndpoint: 'https://auth.example.com/token',
            HttpMethod: 'POST',
            OAuthHttpParameters: { BodyParameters: [{ Key: 'scope', Value: 'read', IsValueSecret: false }] },
          },
        },
      }),
    );
    // OAuth authorizes against the endpoint: AUTHORIZING first, then AUTHORIZED.
    expect(oauth.ConnectionState).toBe('AUTHORIZING');
    const done = await pollUntil(
      () => c.events.send(new DescribeConnectionCommand({ Name: 'oauth' })),
      (x) => x.ConnectionState === 'AUTHORIZED',
    );
    expect(done.ConnectionState).toBe('AUTHORIZED');
    expect(done.AuthParameters?.OAuthParameters).toEqual({
      ClientParameters: { ClientID: 'client-1' },
      AuthorizationEndpoint: 'https://auth.example.com/token',
      HttpMethod: 'POST',
      OAuthHttpParameters: { BodyParameters: [{ Key: 'scope', Value: 'read', IsValueSecret: false }] },
    });
    expect(done.LastAuthorizedTime).toBeInstanceOf(Date);

    for (const name of ['basic', 'oauth']) {
      for (const body of await everyResponse(name)) {
        for (const secret of [PASSWORD, CLIENT_SECRET, HEADER_SECRET]) expect(body).not.toContain(secret);
      }
    }
  });

  it('refuses parameters that do not fit the type, a taken name and an unknown one, never quoting a secret', async () => {
    const mismatch = await failure(
      c.events.send(new CreateConnectionCommand({ Name: 'mismatch', AuthorizationType: 'BASIC', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: API_KEY } } })),
    );
    expect(mismatch).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(mismatch.message).toContain('BasicAuthParameters');
    expect(mismatch.message).not.toContain(API_KEY);

    const taken = await failure(
      c.events.send(new CreateConnectionCommand({ Name: 'billing', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } } })),
    );
    expect(taken).toMatchObject({ name: 'ResourceAlreadyExistsException', status: 400 });

    const unknown = await json11(emu, 'AWSEvents.DescribeConnection', { Name: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({ __type: 'ResourceNotFoundException', message: "Connection 'nope' does not exist." });

    const long = 'y'.repeat(600);
    const tooLong = await json11(emu, 'AWSEvents.CreateConnection', { Name: 'long', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: long } } });
    expect(tooLong.json.__type).toBe('ValidationException');
    expect(String(tooLong.json.message)).toContain("Value at 'authParameters.apiKeyAuthParameters.apiKeyValue' failed to satisfy constraint: Member must have length less than or equal to 512");
    expect(tooLong.text).not.toContain(long);
    const name = await json11(emu, 'AWSEvents.CreateConnection', { Name: 'bad name', AuthorizationType: 'API_KEY', AuthParameters: {} });
    expect(String(name.json.message)).toContain("Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
  });

  it('UpdateConnection keeps a new key without showing it, and can change the authorization type', async () => {
    const NEW_KEY = 'rotated-key-do-not-show-5';
    await c.events.send(new CreateConnectionCommand({ Name: 'rotate', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-key', ApiKeyValue: API_KEY } } }));
    const raw = await json11(emu, 'AWSEvents.UpdateConnection', { Name: 'rotate', Description: 'rotated', AuthParameters: { ApiKeyAuthParameters: { ApiKeyValue: NEW_KEY } } });
    expect(raw.status).toBe(200);
    expect(outputProblems(model, 'UpdateConnection', raw.json)).toEqual([]);
    expect(raw.text).not.toContain(NEW_KEY);
    expect(emu.service.store.get('us-east-1', 'AWS::Events::Connection', 'rotate')?.model.AuthParameters).toEqual({ ApiKeyAuthParameters: { ApiKeyName: 'x-key', ApiKeyValue: NEW_KEY } });
    const d = await c.events.send(new DescribeConnectionCommand({ Name: 'rotate' }));
    expect(d).toMatchObject({ Description: 'rotated', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-key' } } });
    expect(d.LastModifiedTime!.getTime()).toBeGreaterThanOrEqual(d.CreationTime!.getTime());

    await c.events.send(new UpdateConnectionCommand({ Name: 'rotate', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: PASSWORD } } }));
    const basic = await c.events.send(new DescribeConnectionCommand({ Name: 'rotate' }));
    expect(basic.AuthorizationType).toBe('BASIC');
    expect(basic.AuthParameters).toEqual({ BasicAuthParameters: { Username: 'u' } });
    const half = await failure(c.events.send(new UpdateConnectionCommand({ Name: 'rotate', AuthorizationType: 'API_KEY' })));
    expect(half.name).toBe('ValidationException');
    expect((await failure(c.events.send(new UpdateConnectionCommand({ Name: 'missing', Description: 'x' })))).name).toBe('ResourceNotFoundException');
  });

  it('DeauthorizeConnection: DEAUTHORIZING, then DEAUTHORIZED; changes in between are concurrent modifications', async () => {
    await c.events.send(new CreateConnectionCommand({ Name: 'deauth', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: API_KEY } } }));
    // A clock of the test's own: the transition ends when the test says, not when a timer does.
    let now = Date.now();
    configureNative(emu.service, { now: () => now, transitionMs: 1000 });
    try {
      const out = await c.events.send(new DeauthorizeConnectionCommand({ Name: 'deauth' }));
      expect(out.ConnectionState).toBe('DEAUTHORIZING');
      const busy = await failure(c.events.send(new UpdateConnectionCommand({ Name: 'deauth', Description: 'now' })));
      expect(busy).toMatchObject({ name: 'ConcurrentModificationException', status: 400 });
      expect((await c.events.send(new DescribeConnectionCommand({ Name: 'deauth' }))).ConnectionState).toBe('DEAUTHORIZING');
      now += 1000;
      expect((await c.events.send(new DescribeConnectionCommand({ Name: 'deauth' }))).ConnectionState).toBe('DEAUTHORIZED');
      const byState = await c.events.send(new ListConnectionsCommand({ ConnectionState: 'DEAUTHORIZED' }));
      expect(byState.Connections?.map((x) => x.Name)).toEqual(['deauth']);
      // Updating it authorizes it again.
      const updated = await c.events.send(new UpdateConnectionCommand({ Name: 'deauth', AuthParameters: { ApiKeyAuthParameters: { ApiKeyValue: 'new' } } }));
      expect(updated.ConnectionState).toBe('AUTHORIZED');
    } finally {
      configureNative(emu.service, { now: Date.now, transitionMs: 50 });
    }
  });

  it('private connectivity: the service associates the resource configuration and shows the association', async () => {
    const rcfg = 'arn:aws:vpc-lattice:us-east-1:123456789012:resourceconfiguration/rcfg-0123456789abcdef0';
    await c.events.send(
      new CreateConnectionCommand({
        Name: 'private',
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: API_KEY } },
        InvocationConnectivityParameters: { ResourceParameters: { ResourceConfigurationArn: rcfg } },
      }),
    );
    const raw = await json11(emu, 'AWSEvents.DescribeConnection', { Name: 'private' });
    expect(outputProblems(model, 'DescribeConnection', raw.json)).toEqual([]);
    const rp = (raw.json.InvocationConnectivityParameters as { ResourceParameters: Record<string, string> }).ResourceParameters;
    expect(rp.ResourceConfigurationArn).toBe(rcfg);
    expect(rp.ResourceAssociationArn).toMatch(/^arn:aws:vpc-lattice:us-east-1:123456789012:servicenetworkresourceassociation\/snra-[0-9a-z]{17}$/);
  });

  it('ListConnections pages with Limit and NextToken', async () => {
    for (const n of ['page-1', 'page-2', 'page-3']) {
      await c.events.send(new CreateConnectionCommand({ Name: n, AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: API_KEY } } }));
    }
    const first = await c.events.send(new ListConnectionsCommand({ NamePrefix: 'page-', Limit: 2 }));
    expect(first.Connections?.map((x) => x.Name)).toEqual(['page-1', 'page-2']);
    expect(first.NextToken).toBeDefined();
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const p = await c.events.send(new ListConnectionsCommand({ NamePrefix: 'page-', Limit: 1, NextToken: token }));
      names.push(...(p.Connections ?? []).map((x) => x.Name!));
      token = p.NextToken;
      pages++;
    } while (token && pages < 10);
    expect(names).toEqual(['page-1', 'page-2', 'page-3']);
    expect(pages).toBe(3);
    expect((await failure(c.events.send(new ListConnectionsCommand({ NextToken: 'garbage' })))).name).toBe('ValidationException');
  });

  it('DeleteConnection answers DELETING and the connection is gone from both APIs', async () => {
    await c.events.send(new CreateConnectionCommand({ Name: 'delete-me', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: API_KEY } } }));
    const out = await json11(emu, 'AWSEvents.DeleteConnection', { Name: 'delete-me' });
    expect(out.json.ConnectionState).toBe('DELETING');
    expect(outputProblems(model, 'DeleteConnection', out.json)).toEqual([]);
    expect((await failure(c.events.send(new DescribeConnectionCommand({ Name: 'delete-me' })))).name).toBe('ResourceNotFoundException');
    const cc = await failure(c.cc.send(new GetResourceCommand({ TypeName: 'AWS::Events::Connection', Identifier: 'delete-me' })));
    expect(cc.name).toBe('ResourceNotFoundException');
  });
});

describe('one account with Cloud Control', () => {
  it('a connection Cloud Control created is described natively, AUTHORIZED, without its secret', async () => {
    const desired = { Name: 'from-cc', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: API_KEY } } };
    const done = await ccDone(c.cc, (await c.cc.send(new CreateResourceCommand({ TypeName: 'AWS::Events::Connection', DesiredState: JSON.stringify(desired) }))).ProgressEvent);
    expect(done.OperationStatus).toBe('SUCCESS');
    const raw = await json11(emu, 'AWSEvents.DescribeConnection', { Name: 'from-cc' });
    expect(raw.json).toMatchObject({ Name: 'from-cc', ConnectionState: 'AUTHORIZED', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' } } });
    expect(raw.text).not.toContain(API_KEY);
    // Its creation time is when the native API first saw it, and stays put.
    const again = await json11(emu, 'AWSEvents.DescribeConnection', { Name: 'from-cc' });
    expect(again.json.CreationTime).toBe(raw.json.CreationTime);
  });

  it('a connection EventBridge created is an AWS::Events::Connection whose credentials Cloud Control does not return', async () => {
    const props = JSON.parse((await c.cc.send(new GetResourceCommand({ TypeName: 'AWS::Events::Connection', Identifier: 'billing' }))).ResourceDescription!.Properties!);
    expect(props).toMatchObject({ Name: 'billing', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' } } });
    expect(props.Arn).toMatch(/connection\/billing\//);
    expect(props.ArnForPolicy).toBe('arn:aws:events:us-east-1:123456789012:connection/billing');
    expect(JSON.stringify(props)).not.toContain(API_KEY);
  });
});
