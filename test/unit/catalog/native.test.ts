/**
 * Native methods in the provider format: the shipped native files load beside the generated
 * ones, and a broken native file is refused when it loads, naming the file and the key (an
 * unknown SDK client or command, an input member from no parameter, a bad output path…).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateProvider, readNativeServices } from '../../../src/catalog/generate.js';
import { Catalog } from '../../../src/catalog/loader.js';
import { outputPath, parseOutputPath, replaceAtPath, selectPath } from '../../../src/catalog/native-path.js';
import { secretColumns } from '../../../src/catalog/native-semantics.js';
import { columnFlags } from '../../../src/catalog/column-flags.js';
import { CcqlError, renderErrorText } from '../../../src/errors.js';

const catalog = new Catalog({ cache: false });

describe('the shipped native tables', () => {
  it('load beside the generated tables of their services, every method native', () => {
    const names = (service: string): string[] => catalog.service('aws', service).resources.map((r) => r.name);
    expect(names('ivs')).toEqual(expect.arrayContaining(['channels', 'stream_keys', 'channels_native', 'stream_keys_native']));
    expect(names('ivs_realtime')).toEqual(['stages', 'participant_tokens']);
    expect(names('events')).toContain('connections_native');
    expect(names('appstream')).toEqual(expect.arrayContaining(['stacks', 'fleets', 'images', 'sessions']));
    for (const name of ['aws.ivs_realtime.stages', 'aws.ivs_realtime.participant_tokens', 'aws.events.connections_native', 'aws.appstream.fleets', 'aws.appstream.images', 'aws.appstream.sessions', 'aws.ivs.channels_native', 'aws.ivs.stream_keys_native']) {
      const r = catalog.resolve(name);
      expect(r.methods.length, name).toBeGreaterThan(0);
      expect(r.methods.every((m) => m.call.api === 'native'), name).toBe(true);
    }
  });

  it('are never what Cloud Control serves for a type name', () => {
    expect(catalog.resourceByType('AWS::IVS::Channel')?.sqlName).toBe('aws.ivs.channels');
    expect(catalog.resourceByType('AWS::Events::Connection')?.sqlName).toBe('aws.events.connections');
    // Cloud Control has no handlers for AWS::AppStream::Fleet: the native table does not make it one.
    expect(catalog.resourceByType('AWS::AppStream::Fleet')).toBeUndefined();
  });

  it('name the members of the seed change log', () => {
    const fleets = catalog.resolve('aws.appstream.fleets');
    expect(fleets.columns.find((c) => c.name === 'enable_default_internet_access')?.property).toBe('EnableDefaultInternetAccess');
    expect(catalog.resolve('aws.appstream.images').columns.find((c) => c.name === 'image_builder_supported')?.property).toBe('ImageBuilderSupported');
    expect(catalog.resolve('aws.appstream.sessions').columns.find((c) => c.name === 'authentication_type')?.property).toBe('AuthenticationType');
    const exec = fleets.methods.filter((m) => m.verb === 'EXEC').map((m) => [m.name, m.call.api === 'native' ? m.call.operation : '']);
    expect(exec).toEqual([
      ['start_fleet', 'StartFleet'],
      ['stop_fleet', 'StopFleet'],
    ]);
  });

  it('flag the columns that hold secret output values', () => {
    const stages = catalog.resolve('aws.ivs_realtime.stages');
    expect([...secretColumns(stages)]).toEqual(['participant_tokens']);
    expect([...secretColumns(catalog.resolve('aws.ivs_realtime.participant_tokens'))]).toEqual(['token']);
    expect([...secretColumns(catalog.resolve('aws.ivs.channels_native'))].sort()).toEqual(['srt', 'stream_key']);
    const token = stages.columns.find((c) => c.name === 'participant_tokens')!;
    expect(columnFlags(stages, token)).toContain('secret: shown only by RETURNING');
  });

  it('are kept and indexed by the generator', () => {
    const native = readNativeServices(join(catalog.dir, 'aws', 'native'));
    expect(native.map((n) => n.service)).toEqual(['appstream', 'events', 'ivs', 'ivs_realtime']);
    const { files } = generateProvider([], native);
    const index = files.get('aws/provider.yaml')!;
    // A service Cloud Control has no types of is listed with its native file alone.
    expect(index).toContain('  - name: ivs_realtime\n    title: IVSRealTime\n    native: native/ivs_realtime.yaml\n    resourceCount: 2\n');
  });
});

describe('output paths', () => {
  it('parse $, .member and [*], and say what is wrong otherwise', () => {
    expect(parseOutputPath('$.participantTokens[*].token')).toEqual([{ kind: 'member', name: 'participantTokens' }, { kind: 'all' }, { kind: 'member', name: 'token' }]);
    expect(parseOutputPath('$')).toEqual([]);
    expect(parseOutputPath('Fleets')).toContain('must start with $');
    expect(parseOutputPath('$.a..b')).toContain("expected .member or [*] at '..b'");
  });

  it('select and replace values, lists and maps alike', () => {
    const out = { participantTokens: [{ token: 'a1' }, { token: 'b2' }, { userId: 'c' }], stage: { arn: 'x' } };
    expect(selectPath(out, outputPath('$.participantTokens[*].token'))).toEqual(['a1', 'b2']);
    const masked = replaceAtPath(out, outputPath('$.participantTokens[*].token'), () => '***');
    expect(masked).toEqual({ participantTokens: [{ token: '***' }, { token: '***' }, { userId: 'c' }], stage: { arn: 'x' } });
    expect(out.participantTokens[0]!.token).toBe('a1');
  });
});

// ---- broken native files ----------------------------------------------------------------

const INDEX = `name: aws
description: test provider
version: "1"
services:
  - name: ivs
    title: IVS
    file: services/ivs.yaml
    native: native/ivs.yaml
    resourceCount: 2
`;

const GENERATED = `service: ivs
title: IVS
resources:
  channels:
    typeName: AWS::IVS::Channel
    sqlName: aws.ivs.channels
    description: A channel.
    primaryIdentifier: [Arn]
    operations:
      list:
        permissions: [ivs:ListChannels]
    columns:
      - name: region
        type: text
        description: AWS region.
      - name: arn
        property: Arn
        type: text
        description: The ARN.
    methods:
      - name: list_resources
        verb: SELECT
        requiredParams: [region]
        call:
          api: cloudcontrol
          operation: ListResources
    schema:
      properties:
        Arn: {type: string}
`;

function nativeFile(call: string, opts: { name?: string; extraMethod?: string; required?: string } = {}): string {
  return `service: ivs
title: IVS
resources:
  ${opts.name ?? 'channels_native'}:
    typeName: AWS::IVS::Channel
    sqlName: aws.ivs.${opts.name ?? 'channels_native'}
    description: Channels through the IVS API.
    primaryIdentifier: [arn]
    operations:
      list:
        permissions: [ivs:ListChannels]
    columns:
      - name: region
        type: text
        description: AWS region.
      - name: arn
        property: arn
        type: text
        description: The ARN.
      - name: name
        property: name
        type: text
        description: The name.
    methods:
      - name: list_channels
        verb: SELECT
        requiredParams: [${opts.required ?? 'region'}]
        call:
${call
  .split('\n')
  .map((l) => `          ${l}`)
  .join('\n')}${opts.extraMethod ?? ''}
    schema:
      properties:
        arn: {type: string}
        name: {type: string}
`;
}

const GOOD_CALL = `api: native
client: "@aws-sdk/client-ivs"
operation: ListChannels
input:
  filterByName: name
output:
  rows: $.channels
pagination:
  inputToken: nextToken
  outputToken: nextToken`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function loadNative(text: string): CcqlError | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'ccql-native-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'aws', 'services'), { recursive: true });
  mkdirSync(join(dir, 'aws', 'native'), { recursive: true });
  writeFileSync(join(dir, 'aws', 'provider.yaml'), INDEX);
  writeFileSync(join(dir, 'aws', 'services', 'ivs.yaml'), GENERATED);
  writeFileSync(join(dir, 'aws', 'native', 'ivs.yaml'), text);
  try {
    new Catalog({ dir, cache: false }).service('aws', 'ivs');
    return undefined;
  } catch (e) {
    if (e instanceof CcqlError) return e;
    throw e;
  }
}

describe('a broken native file', () => {
  it('loads when it is right (so the failures below are about the changes)', () => {
    expect(loadNative(nativeFile(GOOD_CALL))).toBeUndefined();
  });

  it('names an SDK client that is not installed: file and key', () => {
    const e = loadNative(nativeFile(GOOD_CALL.replace('@aws-sdk/client-ivs"', '@aws-sdk/client-ivz"')))!;
    expect(e.code).toBe('provider_file');
    const text = renderErrorText(e);
    expect(text).toContain('native/ivs.yaml is not a valid provider native service file');
    expect(text).toContain('resources.channels_native.methods[0].call.client: @aws-sdk/client-ivz is not an installed AWS SDK client');
  });

  it('names a command the client does not have, with the closest one', () => {
    const text = renderErrorText(loadNative(nativeFile(GOOD_CALL.replace('operation: ListChannels', 'operation: ListChanels')))!);
    expect(text).toMatch(/line \d+: resources\.channels_native\.methods\[0\]\.call\.operation: @aws-sdk\/client-ivs has no command ListChanelsCommand \(did you mean ListChannels\?\)/);
  });

  it('names an input member whose parameter the table does not have', () => {
    const text = renderErrorText(loadNative(nativeFile(GOOD_CALL.replace('filterByName: name', 'filterByName: nmae')))!);
    expect(text).toContain("resources.channels_native.methods[0].call.input.filterByName: 'nmae' is not a parameter of the table");
  });

  it('names nested and list members too', () => {
    const text = renderErrorText(loadNative(nativeFile(GOOD_CALL.replace('filterByName: name', 'outer:\n    inner: [nope]')))!);
    expect(text).toContain("call.input.outer.inner: 'nope' is not a parameter of the table");
  });

  it('refuses an output path that does not parse, and fields that are no columns', () => {
    const text = renderErrorText(loadNative(nativeFile(GOOD_CALL.replace('rows: $.channels', 'rows: channels\n  fields: [arn, nope]')))!);
    expect(text).toContain("call.output.rows: 'channels' must start with $");
    expect(text).toContain("call.output.fields[1]: 'nope' is not a column");
  });

  it('refuses a required parameter the input never uses', () => {
    const text = renderErrorText(loadNative(nativeFile(GOOD_CALL, { required: 'arn, region' }))!);
    expect(text).toContain("resources.channels_native.methods[0].requiredParams[0]: 'arn' is required but the input never uses it");
  });

  it('refuses a table that mixes Cloud Control and native methods', () => {
    const cc = `
      - name: get_resource
        verb: SELECT
        requiredParams: [region]
        call:
          api: cloudcontrol
          operation: GetResource`;
    const text = renderErrorText(loadNative(nativeFile(GOOD_CALL, { extraMethod: cc }))!);
    expect(text).toContain('resources.channels_native.methods: mixes Cloud Control and native methods');
  });

  it('refuses a native table named like a generated table of its service', () => {
    const e = loadNative(nativeFile(GOOD_CALL, { name: 'channels' }))!;
    expect(renderErrorText(e)).toContain("resources.channels: 'channels' is already the generated table aws.ivs.channels");
  });

  it('refuses a misspelled key of a native call (the format has no such key)', () => {
    const text = renderErrorText(loadNative(nativeFile(`${GOOD_CALL}\nnotfound: [ResourceNotFoundException]`))!);
    expect(text).toContain("unknown key 'notfound'");
  });
});
