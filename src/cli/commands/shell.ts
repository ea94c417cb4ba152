/**
 * `ccql shell`: the interactive SQL shell (a script runner when stdin is piped).
 */
import { Command, Option } from 'commander';
import { engineSetupPending, engineUrlFrom, parseEngineTarget, warmEngine } from '../../engine/engine.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../format.js';
import { connect, type ConnectionFlags } from '../connection.js';
import { historyFile } from '../repl/history.js';
import { ENGINE_SETUP_TEXT } from '../progress.js';

interface ShellFlags extends ConnectionFlags {
  output: OutputFormat;
  engine?: string;
}

export function register(program: Command): void {
  program
    .command('shell')
    .description('an interactive SQL shell: statements end with ;, Tab completes, \\help for help')
    .option('--local', 'use the built-in emulator with demo data (state kept in $CCQL_HOME/local)')
    .option('--endpoint-url <url>', 'Cloud Control endpoint, e.g. a running `ccql emulator` (env: CCQL_ENDPOINT_URL)')
    .option('--region <region>', 'region for statements that name none (default: the AWS SDK’s: AWS_REGION, profile…)')
    .option('--engine <url>', 'run the SQL on this PostgreSQL server, e.g. postgres://user@localhost:5432/db (env: CCQL_ENGINE; default: the embedded PGlite)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .action(async (flags: ShellFlags) => {
      process.exitCode = await runShellCommand(flags);
    });
}

async function runShellCommand(flags: ShellFlags): Promise<number> {
  const engine = engineUrlFrom(flags.engine);
  if (process.stderr.isTTY && engineSetupPending({ url: engine })) process.stderr.write(`${ENGINE_SETUP_TEXT}\n`);
  // Started now, in its own thread: ready by the time the first statement is typed.
  warmEngine({ url: engine });
  const connection = await connect(flags);
  const [{ Session }, { runShell }] = await Promise.all([import('../../exec/session.js'), import('../repl/loop.js')]);
  const session = new Session({ ...connection.options, ...(engine ? { engine } : {}) });
  const terminal = process.stdin.isTTY === true && (process.stdout.isTTY === true || process.stderr.isTTY === true);
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); // the reader went away: not an error
    throw e;
  });
  try {
    const defaultRegion = await session.defaultRegion();
    const region = defaultRegion ? `region ${defaultRegion} (from ${session.options.regionSource})` : 'no default region';
    const target = parseEngineTarget(engine);
    const engineText = target.kind === 'postgres' ? `, engine ${target.label}` : '';
    return await runShell(
      {
        input: process.stdin,
        output: process.stdout,
        errors: process.stderr,
        terminal,
        terminalOutput: process.stdout.isTTY ? process.stdout : process.stderr,
      },
      {
        session,
        format: flags.output,
        historyFile: historyFile(),
        banner: `ccql shell: ${connection.target}, ${region}${engineText}. \\help for help, \\q to quit.`,
      },
    );
  } finally {
    await session.close();
    await connection.close();
  }
}
