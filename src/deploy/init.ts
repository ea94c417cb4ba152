/**
 * `ccql deploy init NAME`: a starter stack in ./NAME: a manifest with one global and one
 * resource (an IVS stage with tags), its resource file with every anchor, and a README saying
 * how to run it (against --local first).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CcqlError } from '../errors.js';

export interface InitResult {
  dir: string;
  files: string[];
}

export function initStack(target: string, provider = 'aws'): InitResult {
  if (provider !== 'aws' && provider !== 'awscc') {
    throw new CcqlError('usage', `--provider ${provider} is not available`, { hint: 'ccql serves the aws provider (awscc is its StackQL name)' });
  }
  const dir = resolve(target);
  const name = basename(dir);
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) throw new CcqlError('usage', `'${name}' is not a stack name`, { hint: 'use letters, digits, -, _ and .' });
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new CcqlError('usage', `${target} exists and is not empty`, { hint: 'choose a new directory name' });
  const files: Record<string, string> = {
    'ccql_manifest.yml': manifest(name, provider),
    'resources/example_stage.iql': stageFile(provider),
    'README.md': readme(name),
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return { dir, files: Object.keys(files) };
}

function manifest(name: string, provider: string): string {
  return `# ccql deploy stack: docs/deploy.md describes every key.
version: 1
name: ${name}
description: starter stack for ${name}
providers:
  - ${provider}
globals:
  - name: region
    description: the AWS region (ccql deploy build . dev -e AWS_REGION=us-east-1)
    value: "{{AWS_REGION}}"
  - name: global_tags
    value:
      Provisioner: ccql
      StackName: "{{stack_name}}"
      StackEnv: "{{stack_env}}"
resources:
  - name: example_stage
    props:
      - name: stage_name
        value: "{{stack_name}}-{{stack_env}}-stage"
      - name: stage_tags
        value:
          team: video
        merge:
          - global_tags
    exports:
      - stage_arn
`;
}

function stageFile(provider: string): string {
  return `/*+ exists */
SELECT arn, name, tags
FROM ${provider}.ivs.stages
WHERE region = '{{region}}' AND name = '{{stage_name}}';

/*+ create */
INSERT INTO ${provider}.ivs.stages (Name, Tags, region)
SELECT '{{stage_name}}', '{{aws_tags stage_tags}}', '{{region}}';

/*+ update */
UPDATE ${provider}.ivs.stages SET Tags = '{{aws_tags stage_tags}}'
WHERE data__Identifier = '{{this.arn}}' AND region = '{{region}}';

/*+ statecheck, retries=3, retry_delay=1 */
SELECT count(*) AS count
FROM ${provider}.ivs.stages
WHERE region = '{{region}}' AND data__Identifier = '{{this.arn}}'
  AND tags @> '{{aws_tags stage_tags}}'::jsonb AND '{{aws_tags stage_tags}}'::jsonb @> tags;

/*+ exports */
SELECT arn AS stage_arn
FROM ${provider}.ivs.stages
WHERE region = '{{region}}' AND data__Identifier = '{{this.arn}}';

/*+ delete */
DELETE FROM ${provider}.ivs.stages
WHERE data__Identifier = '{{this.arn}}' AND region = '{{region}}';
`;
}

function readme(name: string): string {
  return `# ${name}

A [ccql deploy](https://github.com/ccql/ccql/blob/main/docs/deploy.md) stack.

\`\`\`sh
ccql deploy plan     ${name} dev -e AWS_REGION=us-east-1 --local   # what build would do
ccql deploy build    ${name} dev -e AWS_REGION=us-east-1 --local
ccql deploy test     ${name} dev -e AWS_REGION=us-east-1 --local   # exit 1 on drift
ccql deploy teardown ${name} dev -e AWS_REGION=us-east-1 --local
\`\`\`

Drop \`--local\` to run against AWS (the AWS SDK's credentials and region).
`;
}
