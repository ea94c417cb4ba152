/**
 * Writes the service models under this folder from botocore's service definitions (the same
 * Smithy facts the AWS SDKs are generated from): for each operation the emulator serves, its
 * HTTP binding, input and output shapes with their constraints (required members, lengths,
 * ranges, patterns, enums, sensitive members, timestamp formats) and the errors it declares, with
 * each error's HTTP status. Documentation is left out.
 *
 *   npx tsx src/emulator/native/models/extract.ts "$(python3 -c 'import botocore,os;print(os.path.dirname(botocore.__file__))')/data"
 *
 * Run it again to pick up a newer botocore; the operations served are listed in SERVED below.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { ServiceModel, Shape } from '../model.js';

const SERVED: Record<string, { dir: string; version: string; operations: string[] }> = {
  ivs: {
    dir: 'ivs',
    version: '2020-07-14',
    operations: [
      'CreateChannel',
      'GetChannel',
      'ListChannels',
      'UpdateChannel',
      'DeleteChannel',
      'BatchGetChannel',
      'CreateStreamKey',
      'GetStreamKey',
      'ListStreamKeys',
      'DeleteStreamKey',
      'BatchGetStreamKey',
      'TagResource',
      'UntagResource',
      'ListTagsForResource',
    ],
  },
  'ivs-realtime': {
    dir: 'ivs-realtime',
    version: '2020-07-14',
    operations: ['CreateStage', 'GetStage', 'ListStages', 'UpdateStage', 'DeleteStage', 'CreateParticipantToken', 'TagResource', 'UntagResource', 'ListTagsForResource'],
  },
  events: {
    dir: 'events',
    version: '2015-10-07',
    operations: ['CreateConnection', 'DescribeConnection', 'ListConnections', 'UpdateConnection', 'DeleteConnection', 'DeauthorizeConnection'],
  },
  appstream: {
    dir: 'appstream',
    version: '2016-12-01',
    operations: [
      'CreateFleet',
      'DescribeFleets',
      'UpdateFleet',
      'DeleteFleet',
      'StartFleet',
      'StopFleet',
      'DescribeImages',
      'DescribeSessions',
      'CreateStack',
      'DescribeStacks',
      'UpdateStack',
      'DeleteStack',
      'AssociateFleet',
      'DisassociateFleet',
      'ListAssociatedStacks',
      'ListAssociatedFleets',
      'CreateStreamingURL',
      'ExpireSession',
    ],
  },
};

/**
 * Patterns of the published models that the services' real values do not match when read as a
 * whole-value match (as the front ends read them): the service evidently does not check them as
 * written. Each is replaced by what the service accepts and answers.
 */
const PATTERN_FIXES: Record<string, Record<string, { from: string; to: string }>> = {
  // `[a-z-]` is one character: no IVS ARN (`…:channel/…`, `…:stage/…`) has a one-letter type.
  ivs: { ResourceArn: { from: 'arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]/[a-zA-Z0-9-]+', to: 'arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]+/[a-zA-Z0-9-]+' } },
  'ivs-realtime': { ResourceArn: { from: 'arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]/[a-zA-Z0-9-]+', to: 'arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]+/[a-zA-Z0-9-]+' } },
  events: {
    // Escaped twice in the published model: `\\d` there is a backslash and a `d`, not a digit.
    ResourceAssociationArn: {
      from: '^arn:[a-z0-9\\\\-]+:vpc-lattice:[a-zA-Z0-9\\\\-]+:\\\\d{12}:servicenetworkresourceassociation/snra-[0-9a-z]{17}$',
      to: '^arn:[a-z0-9\\-]+:vpc-lattice:[a-zA-Z0-9\\-]+:\\d{12}:servicenetworkresourceassociation/snra-[0-9a-z]{17}$',
    },
    // A connection's secret is EventBridge's managed secret `events!connection/NAME/…` (as
    // CloudFormation's SecretArn pattern and IAM policies for connections have it): `!` included.
    SecretsManagerSecretArn: {
      from: '^arn:aws([a-z]|\\-)*:secretsmanager:([a-z]|\\d|\\-)*:([0-9]{12})?:secret:[\\/_+=\\.@\\-A-Za-z0-9]+$',
      to: '^arn:aws([a-z]|\\-)*:secretsmanager:([a-z]|\\d|\\-)*:([0-9]{12})?:secret:[\\/_+=\\.@\\-A-Za-z0-9!]+$',
    },
  },
};

type Raw = Record<string, unknown>;

function readModel(dataDir: string, dir: string, version: string): Raw {
  const base = join(dataDir, dir, version, 'service-2.json');
  if (existsSync(`${base}.gz`)) return JSON.parse(gunzipSync(readFileSync(`${base}.gz`)).toString('utf8')) as Raw;
  if (existsSync(base)) return JSON.parse(readFileSync(base, 'utf8')) as Raw;
  throw new Error(`no botocore model at ${base}(.gz)`);
}

function trimShape(raw: Raw): Shape {
  const out: Raw = { type: raw.type };
  for (const k of ['required', 'min', 'max', 'pattern', 'enum', 'sensitive', 'timestampFormat', 'exception', 'fault']) {
    if (raw[k] !== undefined) out[k] = raw[k];
  }
  const error = raw.error as Raw | undefined;
  if (error && typeof error.httpStatusCode === 'number') out.status = error.httpStatusCode;
  if (raw.members) {
    const members: Record<string, Raw> = {};
    for (const [name, m] of Object.entries(raw.members as Record<string, Raw>)) {
      const member: Raw = { shape: m.shape };
      for (const k of ['location', 'locationName', 'jsonvalue', 'idempotencyToken']) if (m[k] !== undefined) member[k] = m[k];
      members[name] = member;
    }
    out.members = members;
  }
  if (raw.member) out.member = (raw.member as Raw).shape;
  if (raw.key) out.key = (raw.key as Raw).shape;
  if (raw.value) out.value = (raw.value as Raw).shape;
  return out as unknown as Shape;
}

function extract(dataDir: string, name: string): ServiceModel {
  const spec = SERVED[name]!;
  const raw = readModel(dataDir, spec.dir, spec.version);
  const meta = raw.metadata as Raw;
  const shapes = raw.shapes as Record<string, Raw>;
  const ops = raw.operations as Record<string, Raw>;
  const keep = new Set<string>();
  const visit = (shape: string): void => {
    if (keep.has(shape)) return;
    keep.add(shape);
    const s = shapes[shape];
    if (!s) throw new Error(`${name}: shape ${shape} is missing`);
    for (const m of Object.values((s.members ?? {}) as Record<string, Raw>)) visit(m.shape as string);
    for (const k of ['member', 'key', 'value']) if (s[k]) visit((s[k] as Raw).shape as string);
  };
  const operations: ServiceModel['operations'] = {};
  for (const op of spec.operations) {
    const o = ops[op];
    if (!o) throw new Error(`${name}: operation ${op} is not in botocore's model`);
    const http = o.http as Raw;
    const input = (o.input as Raw | undefined)?.shape as string | undefined;
    const output = (o.output as Raw | undefined)?.shape as string | undefined;
    const errors = ((o.errors ?? []) as Raw[]).map((e) => e.shape as string);
    if (input) visit(input);
    if (output) visit(output);
    errors.forEach(visit);
    operations[op] = {
      method: http.method as string,
      uri: http.requestUri as string,
      ...(typeof http.responseCode === 'number' ? { code: http.responseCode } : {}),
      ...(input ? { input } : {}),
      ...(output ? { output } : {}),
      errors,
    };
  }
  const kept: Record<string, Shape> = {};
  for (const s of [...keep].sort()) kept[s] = trimShape(shapes[s]!);
  for (const [shape, fix] of Object.entries(PATTERN_FIXES[name] ?? {})) {
    const k = kept[shape];
    if (!k || k.pattern !== fix.from) throw new Error(`${name}: ${shape} no longer has the pattern PATTERN_FIXES replaces; review the fix`);
    k.pattern = fix.to;
  }
  return {
    service: name,
    protocol: meta.protocol as ServiceModel['protocol'],
    signingName: (meta.signingName ?? meta.endpointPrefix) as string,
    ...(meta.targetPrefix ? { targetPrefix: meta.targetPrefix as string } : {}),
    apiVersion: meta.apiVersion as string,
    operations,
    shapes: kept,
  };
}

function main(): void {
  const dataDir = process.argv[2];
  if (!dataDir) {
    process.stderr.write('usage: extract.ts BOTOCORE_DATA_DIR\n');
    process.exit(2);
  }
  const here = dirname(fileURLToPath(import.meta.url));
  for (const name of Object.keys(SERVED)) {
    const model = extract(dataDir, name);
    const file = join(here, `${name}.ts`);
    const text = [
      `/** The ${name} service model for the operations the emulator serves, extracted from botocore by extract.ts (do not edit). */`,
      "import type { ServiceModel } from '../model.js';",
      '',
      `export const model: ServiceModel = ${JSON.stringify(model, null, 1)};`,
      '',
    ].join('\n');
    writeFileSync(file, text);
    process.stderr.write(`${file}: ${Object.keys(model.operations).length} operations, ${Object.keys(model.shapes).length} shapes\n`);
  }
}

// Run as a script only (the build compiles this file too; importing it does nothing).
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
