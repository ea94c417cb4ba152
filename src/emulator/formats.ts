/**
 * The formats AWS gives its generated values in, per resource type, from the committed data file
 * `data/arn-formats.json` (written by scripts/generate-arn-formats.ts from AWS's service
 * authorization reference and the registry schemas, plus a small documented override table):
 * ARN and identifier templates, identifiers nested in an object or derived from another
 * property, identifiers AWS lower-cases, and types whose namespace is global (one for every
 * region).
 * Templates are filled in by templates.ts.
 */
import data from './data/arn-formats.json' with { type: 'json' };

export { PARTITION, renderTemplate, templatePattern, templateReferences, type TemplateContext } from './templates.js';

export interface TypeFormat {
  /** Model pointer → template. */
  values?: Record<string, string>;
  from?: Record<string, 'iam-data' | 'override'>;
  iam?: string;
  identifier?: { pointer: string; from: 'iam-data' | 'override' | 'schema'; format: string };
  global?: boolean;
  primary?: string[];
  lowercase?: string[];
  derived?: Record<string, string>;
  equals?: Record<string, string>;
}

interface FormatData {
  iamData: string;
  counts: Record<string, number>;
  types: Record<string, TypeFormat>;
}

const formats = data as unknown as FormatData;

export function formatOf(typeName: string): TypeFormat | undefined {
  return formats.types[typeName];
}

/** One namespace across regions (IAM, Organizations, Route 53, CloudFront, S3 bucket names, …). */
export function isGlobalType(typeName: string): boolean {
  return formats.types[typeName]?.global === true;
}

/** What the generator counted (how many types get a format from data, from overrides, none). */
export function formatCounts(): Readonly<Record<string, number>> {
  return formats.counts;
}

