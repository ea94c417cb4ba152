/**
 * StackQL's table and column names, and every name ccql gave before, over all 1,489 registry
 * types: each resolves to the right resource or column (as its name or an alias), no alias is
 * another's name, and a statement written with them reaches the engine in canonical names.
 *
 * StackQL's rule (src/catalog/naming.ts stackqlResourceNames/stackqlColumnNames) was checked
 * against the names on StackQL's awscc pages; the examples below are taken from those pages.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSchemas, resourceNames } from '../../../src/catalog/generate.js';
import { Catalog } from '../../../src/catalog/loader.js';
import { legacySnakeCase, splitTypeName, stackqlColumnNames, stackqlResourceNames } from '../../../src/catalog/naming.js';
import type { ResourceDef } from '../../../src/catalog/types.js';
import { findColumn, tableShape } from '../../../src/plan/columns.js';
import { loadParser } from '../../../src/sql/parser.js';
import { lowerSql } from '../../../src/sql/lower.js';
import { SqlBuilder } from '../../../src/sql/rewrite.js';

const root = join(import.meta.dirname, '..', '..', '..');
const schemaDir = process.env.CCQL_CFN_SCHEMAS ?? join(root, '..', 'shared', 'cfn-schemas');
type Json = Record<string, unknown>;

let schemas: Json[];
let catalog: Catalog;
const byService = new Map<string, string[]>();

beforeAll(async () => {
  schemas = readSchemas(schemaDir);
  catalog = new Catalog({ dir: join(root, 'providers'), cache: false });
  for (const s of schemas) {
    const { service } = splitTypeName(String(s.typeName));
    byService.set(service, [...(byService.get(service) ?? []), String(s.typeName)]);
  }
  await loadParser();
});

function resourceOf(typeName: string): ResourceDef {
  const r = catalog.resourceByType(typeName);
  if (!r) throw new Error(`no resource for ${typeName}`);
  return r;
}

/** The column names ccql gave a type's properties before (the legacy snake_case rule). */
function legacyColumns(schema: Json): Map<string, string> {
  const used = new Set(['region', 'data__identifier']);
  const out = new Map<string, string>();
  for (const p of Object.keys((schema.properties ?? {}) as Json)) {
    let name = legacySnakeCase(p);
    if (['region', 'data__identifier', 'identifier'].includes(name)) name = `property_${name}`;
    let n = 2;
    const base = name;
    while (used.has(name)) name = `${base}_${n++}`;
    used.add(name);
    out.set(p, name);
  }
  return out;
}

describe("StackQL's and earlier ccql table names", () => {
  it('covers all 1,489 types', () => {
    expect(schemas).toHaveLength(1489);
    // The catalog these tests read is providers/, which test/unit/catalog/generate.test.ts checks
    // is the generator's output for these same schemas.
    expect(schemas.map((s) => String(s.typeName)).filter((t) => !catalog.resourceByType(t))).toEqual([]);
  });

  it('every StackQL table name resolves to its type, through awscc and aws, with _list_only', () => {
    const wrong: string[] = [];
    for (const s of schemas) {
      const type = String(s.typeName);
      const { service } = splitTypeName(type);
      const r = resourceOf(type);
      for (const name of stackqlResourceNames(type)) {
        for (const provider of ['awscc', 'aws']) {
          const found = catalog.resource(provider, service, name);
          if (found !== r) wrong.push(`${provider}.${service}.${name} → ${found.typeName}, not ${type}`);
        }
        if (r.operations.list && catalog.resource('awscc', service, `${name}_list_only`).typeName !== type) wrong.push(`${service}.${name}_list_only`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every table name ccql gave before still resolves to its type', () => {
    const wrong: string[] = [];
    for (const [service, types] of byService) {
      for (const [type, name] of resourceNames(types, legacySnakeCase)) {
        if (catalog.resource('aws', service, name).typeName !== type) wrong.push(`aws.${service}.${name}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no table alias is another table name or alias in its service', () => {
    const clashes: string[] = [];
    for (const service of byService.keys()) {
      const seen = new Map<string, string>();
      for (const r of catalog.service('aws', service).resources) {
        for (const n of [r.name, ...(r.aliases ?? [])]) {
          if (seen.has(n)) clashes.push(`${service}.${n}: ${seen.get(n)} and ${r.typeName}`);
          seen.set(n, r.typeName);
        }
      }
    }
    expect(clashes).toEqual([]);
  });

  it('adopts the better-reading name, keeping the other as an alias', () => {
    const cases: Array<[string, string, string[]]> = [
      ['AWS::AppSync::GraphQLApi', 'graphql_apis', ['graph_ql_apis']],
      ['AWS::Kendra::Index', 'indexes', ['indices']],
      ['AWS::EC2::EC2Fleet', 'ec2_fleets', ['ec2fleets']],
      ['AWS::IAM::VirtualMFADevice', 'virtual_mfa_devices', ['virtualmfa_devices']],
      ['AWS::DataSync::LocationFSxLustre', 'location_fsx_lustres', ['location_f_sx_lustres', 'locationf_sx_lustres']],
      ['AWS::BedrockAgentCore::OAuth2CredentialProvider', 'oauth2_credential_providers', ['o_auth2_credential_providers', 'o_auth2credential_providers']],
      ['AWS::Timestream::InfluxDBCluster', 'influxdb_clusters', ['influx_db_clusters']],
      ['AWS::EventSchemas::Schema', 'schemas', ['schemata']],
    ];
    for (const [type, name, aliases] of cases) expect([resourceOf(type).name, resourceOf(type).aliases ?? []]).toEqual([name, aliases]);
  });
});

describe("StackQL's and earlier ccql column names", () => {
  /**
   * StackQL names a property the way ccql names a pseudo-column only for a property called
   * Region or Identifier; there (as in StackQL's own views, where they clash too) the name is
   * the pseudo-column's, and the property keeps its property_ column.
   */
  const PSEUDO = new Set(['region', 'identifier']);

  it('every StackQL column name resolves to its property in every type', () => {
    const wrong: string[] = [];
    const pseudo: string[] = [];
    for (const s of schemas) {
      const r = resourceOf(String(s.typeName));
      const shape = tableShape(r);
      for (const p of Object.keys((s.properties ?? {}) as Json)) {
        const column = r.columns.find((c) => c.property === p)!;
        for (const name of stackqlColumnNames(p)) {
          if (PSEUDO.has(name)) {
            pseudo.push(`${r.typeName}.${p}`);
            continue;
          }
          const resolved = shape.columns.includes(name) ? name : shape.aliases.get(name);
          if (resolved !== column.name) wrong.push(`${r.sqlName}.${name} → ${resolved ?? 'nothing'}, not ${column.name}`);
          if (findColumn(r, name)?.name !== column.name) wrong.push(`INSERT/SET ${r.sqlName} (${name})`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(pseudo.length).toBeLessThan(20);
  });

  it('every column name ccql gave before still resolves to its property', () => {
    const wrong: string[] = [];
    for (const s of schemas) {
      const r = resourceOf(String(s.typeName));
      const shape = tableShape(r);
      for (const [p, name] of legacyColumns(s)) {
        const column = r.columns.find((c) => c.property === p)!;
        const resolved = shape.columns.includes(name) ? name : shape.aliases.get(name);
        if (resolved !== column.name) wrong.push(`${r.sqlName}.${name} → ${resolved ?? 'nothing'}, not ${column.name}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no column alias is a column name, another alias or the identifier', () => {
    const clashes: string[] = [];
    for (const s of schemas) {
      const r = resourceOf(String(s.typeName));
      const seen = new Map<string, string>([['identifier', 'data__Identifier']]);
      for (const c of r.columns) {
        for (const n of [c.name.toLowerCase(), ...(c.aliases ?? [])]) {
          if (seen.has(n) && !(n === 'identifier' && c.name === 'identifier')) clashes.push(`${r.sqlName}.${n}: ${seen.get(n)} and ${c.name}`);
          seen.set(n, c.name);
        }
      }
    }
    expect(clashes).toEqual([]);
  });

  it('adopts the better-reading name, keeping the other as an alias', () => {
    const column = (type: string, property: string) => resourceOf(type).columns.find((c) => c.property === property)!;
    const cases: Array<[string, string, string, string[]]> = [
      ['AWS::ElasticLoadBalancingV2::TargetGroup', 'TargetGroupArn', 'target_group_arn', []],
      ['AWS::Cognito::UserPoolClient', 'AllowedOAuthFlows', 'allowed_oauth_flows', ['allowed_o_auth_flows']],
      ['AWS::Cognito::UserPoolClient', 'CallbackURLs', 'callback_urls', ['callback_ur_ls']],
      ['AWS::Route53::HostedZone', 'VPCs', 'vpcs', ['vp_cs']],
      ['AWS::IAM::OIDCProvider', 'ClientIdList', 'client_id_list', []],
      ['AWS::OpenSearchService::Domain', 'AccessPolicies', 'access_policies', []],
      ['AWS::AppSync::GraphQLApi', 'GraphQLUrl', 'graphql_url', ['graph_ql_url']],
    ];
    for (const [type, property, name, aliases] of cases) expect([column(type, property).name, column(type, property).aliases ?? []]).toEqual([name, aliases]);
    expect(column('AWS::Cognito::IdentityPool', 'OpenIdConnectProviderARNs')).toMatchObject({ name: 'open_id_connect_provider_arns', aliases: ['open_id_connect_provider_ar_ns'] });
  });
});

describe('a statement in StackQL names', () => {
  it('reaches the engine in canonical names, for every type', () => {
    const wrong: string[] = [];
    for (const s of schemas) {
      const type = String(s.typeName);
      const r = resourceOf(type);
      const { service } = splitTypeName(type);
      const names = Object.keys((s.properties ?? {}) as Json)
        .flatMap((p) => stackqlColumnNames(p))
        // PostgreSQL cuts names at 63 characters, canonical or not: those cannot be written.
        .filter((n) => n !== 'region' && n !== 'identifier' && n.length <= 63);
      if (names.length === 0) continue;
      const table = stackqlResourceNames(type)[0]!;
      const sql = `SELECT ${names.map((n) => `t."${n}"`).join(', ')} FROM awscc.${service}.${table} t WHERE t."${names[0]}" IS NOT NULL ORDER BY "${names[names.length - 1]}"`;
      const node = lowerSql(sql, (parts) => tableShape(catalog.resource(...parts)));
      if (node.kind !== 'query') throw new Error(`not a query: ${sql}`);
      const canonical = new Set(r.columns.map((c) => c.name.toLowerCase()));
      const used = [...node.refs[0]!.columns].filter((c) => !canonical.has(c));
      if (used.length > 0) wrong.push(`${type}: ${used.join(', ')}`);
      const engine = new SqlBuilder().slice(node.text, 0, node.text.length, node.rewrites).build().text;
      for (const m of engine.matchAll(/\bt\.("?)([a-z_0-9]+)\1(?: AS ("?)([a-z_0-9]+)\3)?/g)) {
        if (!canonical.has(m[2]!)) wrong.push(`${type}: engine reads t.${m[2]}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
