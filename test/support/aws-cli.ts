/**
 * A home for the AWS CLI in tests: an empty profile and static keys, so that the user's own
 * configuration (or its absence) never reaches a run against the emulator.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AwsCliHome {
  env: NodeJS.ProcessEnv;
  remove(): void;
}

export function awsCliHome(prefix: string): AwsCliHome {
  const home = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(home, 'config'), '[default]\n');
  return {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}
