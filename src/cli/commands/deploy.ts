/**
 * `ccql deploy`: stacks from manifests (src/deploy/).
 *
 *   ccql deploy init NAME [--provider aws]
 *   ccql deploy build|test|teardown|plan STACK_DIR ENV [-e K=V …] [--env-file F] [--dry-run]
 *     [--show-queries] [--on-failure rollback|ignore|error] [--output-file F] [-o text|json]
 *     [--concurrency N] [--local | --endpoint-url URL] [--region R]
 *
 * A line per resource and step goes to stderr (and a line naming the resources in progress, on
 * a terminal); the plan, dry-run statements and `-o json` summaries go to stdout. Exit 0 on
 * success, 1 on a failure or drift (the failing resource named, every identifier created so far
 * listed), 2 on bad usage, 130 when interrupted.
 */
import { Command, Option } from 'commander';
import { CcqlError, renderErrorText, toCcqlError } from '../../errors.js';
import { collect, positiveInt } from '../flags.js';
import { writeFileAtomic } from '../../fs-atomic.js';
import { checkConnectionFlags, connect, type ConnectionFlags } from '../connection.js';
import { ENGINE_SETUP_TEXT, EXIT_INTERRUPTED } from '../progress.js';
import { engineSetupPending, engineUrlFrom, warmEngine } from '../../engine/engine.js';

interface DeployFlags extends ConnectionFlags {
  env?: string[];
  envFile?: string;
  dryRun?: boolean;
  showQueries?: boolean;
  onFailure: 'rollback' | 'ignore' | 'error';
  outputFile?: string;
  output: 'text' | 'json';
  concurrency?: number;
}

const COMMANDS = {
  build: 'create or update every resource of the stack, in dependency order (independent ones in parallel)',
  test: 'check every resource exists and is in its desired state (exit 1 on drift)',
  teardown: 'delete every resource of the stack, in reverse dependency order',
  plan: 'show what build would create or update, property by property, changing nothing',
} as const;

export function register(program: Command): void {
  const deploy = program.command('deploy').description('build, test, plan and tear down stacks described by a manifest and SQL templates');
  deploy
    .command('init')
    .description('create a starter stack in ./NAME')
    .argument('<name>', 'the new stack directory')
    .option('--provider <provider>', 'the provider the stack uses', 'aws')
    .action(async (name: string, opts: { provider: string }) => {
      const { initStack } = await import('../../deploy/init.js');
      const result = initStack(name, opts.provider);
      process.stderr.write(`created ${result.files.map((f) => `${name}/${f}`).join(', ')}\nnext: ccql deploy plan ${name} dev -e AWS_REGION=us-east-1 --local\n`);
    });
  for (const [name, description] of Object.entries(COMMANDS)) {
    deploy
      .command(name)
      .description(description)
      .argument('<stack_dir>', 'the stack directory (with ccql_manifest.yml or stackql_manifest.yml)')
      .argument('<env>', 'the environment: {{stack_env}} in templates, and the key of per-environment prop values')
      .option('-e, --env <name=value>', 'a template variable (repeatable)', collect)
      .option('--env-file <file>', 'template variables from a NAME=VALUE file (-e wins)')
      .option('--dry-run', 'print every statement the command would run, rendered; run none')
      .option('--show-queries', 'print each statement as it runs (secrets masked)')
      .addOption(new Option('--on-failure <action>', 'what a failure does: stop (error), delete what this run created (rollback), or go on (ignore)').choices(['rollback', 'ignore', 'error']).default('error'))
      .option('--output-file <file>', 'write the exports as JSON to FILE')
      .addOption(new Option('-o, --output <format>', 'the plan and summary format on stdout').choices(['text', 'json']).default('text'))
      .option('--concurrency <n>', 'most resources in progress at once (default 8)', positiveInt)
      .option('--local', 'use the built-in emulator (state kept in $CCQL_HOME/local)')
      .option('--endpoint-url <url>', 'Cloud Control endpoint, e.g. a running `ccql emulator` (env: CCQL_ENDPOINT_URL)')
      .option('--region <region>', 'region for statements that name none')
      .action(async (stackDir: string, env: string, flags: DeployFlags) => {
        process.exitCode = await runDeployCommand(name as keyof typeof COMMANDS, stackDir, env, flags);
      });
  }
}

async function runDeployCommand(command: keyof typeof COMMANDS, stackDir: string, env: string, flags: DeployFlags): Promise<number> {
  checkConnectionFlags(flags);
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(env)) throw new CcqlError('usage', `'${env}' is not an environment name`, { hint: 'use letters, digits, -, _ and ., e.g. dev or prod' });
  const { parseVarSpecs, readEnvFile } = await import('../../deploy/vars.js');
  const vars = { ...(flags.envFile ? readEnvFile(flags.envFile) : {}), ...parseVarSpecs(flags.env ?? []) };
  const { prepareStack } = await import('../../deploy/stack.js');
  // Everything that can be checked without a call is checked here, before anything runs.
  const stack = prepareStack({ stackDir, env, vars, processEnv: process.env });

  const { Session } = await import('../../exec/session.js');
  const { runDeploy } = await import('../../deploy/runner.js');
  const { eventText, planText, summaryText } = await import('../../deploy/output.js');
  const connection = flags.dryRun ? { options: {}, target: 'none (dry run)', close: async () => {} } : await connect(flags);
  const session = new Session({ ...connection.options, ...(flags.concurrency ? { concurrency: Math.max(16, flags.concurrency * 2) } : {}) });
  const live = new LiveLine(process.stderr);
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    controller.abort(new CcqlError('cancelled', 'deploy cancelled'));
  };
  process.on('SIGINT', onSigint);
  const say = (text: string): void => {
    live.clear();
    process.stderr.write(`${text}\n`);
    live.draw();
  };
  say(`ccql deploy ${command} ${stack.name} (${env})${flags.dryRun ? ' — dry run, nothing runs' : ` on ${connection.target}`}`);
  if (!flags.dryRun) {
    // Started now, in its own thread, while the manifest renders and the first calls run.
    const engine = { url: engineUrlFrom(undefined) };
    if (process.stderr.isTTY && engineSetupPending(engine)) say(ENGINE_SETUP_TEXT);
    warmEngine(engine);
  }
  try {
    const result = await runDeploy({
      command,
      stack,
      session,
      onFailure: flags.onFailure,
      ...(flags.dryRun ? { dryRun: true } : {}),
      ...(flags.showQueries ? { showQueries: true } : {}),
      ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
      signal: controller.signal,
      target: connection.target,
      report: (e) => {
        if (e.kind === 'resource') live.done(e.resource);
        if (e.kind === 'step') live.running(e.resource, e.step);
        const text = eventText(e);
        if (text !== undefined) say(text);
      },
    });
    live.stop();
    const { secrets } = result;
    if (flags.dryRun) {
      for (const d of result.dryRun) process.stdout.write(flags.output === 'json' ? '' : `-- ${d.resource}: ${d.step}\n${d.sql.trimEnd()}\n\n`);
      if (flags.output === 'json') process.stdout.write(`${JSON.stringify({ command, stack: stack.name, env, dryRun: result.dryRun }, null, 2)}\n`);
    } else if (command === 'plan') {
      process.stdout.write(flags.output === 'json' ? `${JSON.stringify({ stack: stack.name, env, resources: result.plan }, null, 2)}\n` : planText(result.plan, stack.name, env));
    } else if (flags.output === 'json') {
      const exports = Object.fromEntries(Object.entries(result.exports).map(([k, v]) => [k, isProtected(stack, k) ? '****' : secrets.mask(v)]));
      process.stdout.write(`${JSON.stringify({ command, stack: stack.name, env, ok: result.ok, resources: result.resources, created: result.created, rolledBack: result.rolledBack, exports }, null, 2)}\n`);
    }
    if (flags.outputFile && result.ok && !flags.dryRun) writeExports(flags.outputFile, stack, env, result);
    say(summaryText(result, stack.name, env));
    if (result.failure) {
      const err = secrets.scrubError(result.failure);
      say(renderErrorText(err));
      for (const f of result.rollbackFailures) say(renderErrorText(secrets.scrubError(f.error)));
      return controller.signal.aborted ? EXIT_INTERRUPTED : err.exitCode;
    }
    return result.ok ? 0 : 1;
  } catch (e) {
    live.stop();
    say(renderErrorText(toCcqlError(e)));
    return toCcqlError(e).exitCode;
  } finally {
    process.off('SIGINT', onSigint);
    await session.close();
    await connection.close();
  }
}

function isProtected(stack: { resources: ReadonlyArray<{ protected: ReadonlySet<string> }> }, name: string): boolean {
  return stack.resources.some((r) => r.protected.has(name));
}

/** The exports as one JSON object (stack-level `exports:` only, when the manifest lists them), with the stack's name and environment. */
function writeExports(file: string, stack: import('../../deploy/stack.js').Stack, env: string, result: import('../../deploy/runner.js').DeployResult): void {
  const wanted = stack.manifest.doc.exports;
  const all: Record<string, unknown> = { ...result.exports };
  const chosen = wanted ? Object.fromEntries(wanted.filter((k) => k in all).map((k) => [k, all[k]])) : all;
  const doc = { stack_name: stack.name, stack_env: env, ...chosen };
  try {
    // Exports may be secrets (protected ones are written as they are: the file is for programs), so only the owner may read it.
    writeFileAtomic(file, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  } catch (e) {
    throw new CcqlError('usage', `cannot write --output-file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** On a terminal, one line below the log naming the resources in progress. */
class LiveLine {
  private readonly active = new Map<string, string>();
  private shown = false;
  private readonly enabled: boolean;

  constructor(private readonly stream: NodeJS.WriteStream) {
    this.enabled = stream.isTTY === true;
  }

  running(resource: string, step: string): void {
    this.active.set(resource, step);
  }

  done(resource: string): void {
    this.active.delete(resource);
  }

  draw(): void {
    if (!this.enabled || this.active.size === 0) return;
    const text = `… ${[...this.active.keys()].join(', ')}`;
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    this.stream.write(text.length > width ? `${text.slice(0, width - 1)}…` : text);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }

  stop(): void {
    this.clear();
    this.active.clear();
  }
}
