/**
 * The region of the AWS profile in use, read the way the SDK's region provider reads it
 * (credentials file before config file), with where it came from for messages.
 */

type Env = Record<string, string | undefined>;

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

export async function regionFromProfile(env: Env): Promise<{ region: string; source: string } | undefined> {
  // Loaded only here: SHOW/DESCRIBE with --region or AWS_REGION never pays for it.
  const { loadSharedConfigFiles, getProfileName } = await import('@smithy/core/config');
  const profile = nonEmpty(env.AWS_PROFILE) ?? getProfileName({});
  let files;
  try {
    files = await loadSharedConfigFiles({
      ignoreCache: true,
      ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
      ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    });
  } catch {
    return undefined; // unreadable files: the SDK treats them as absent too
  }
  // Same precedence as the SDK's region provider (preferredFile: "credentials").
  const fromCredentials = nonEmpty(files.credentialsFile[profile]?.region);
  const fromConfig = nonEmpty(files.configFile[profile]?.region);
  const region = fromCredentials ?? fromConfig;
  if (region === undefined) return undefined;
  const file = fromCredentials !== undefined ? env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials' : env.AWS_CONFIG_FILE ?? '~/.aws/config';
  const source = `profile ${profile} in ${file}`;
  return { region, source };
}
