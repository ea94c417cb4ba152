/**
 * The `ccql` command line. Each subcommand lives in cli/commands/ and is imported only when
 * used, so that `ccql exec "SHOW …"` does not pay for the AWS SDK or the SQL engine.
 */
import { Command, CommanderError } from 'commander';
import { renderErrorText, toCcqlError } from '../errors.js';
import { baselineWasmOnly } from '../wasm-tiers.js';

const program = new Command('ccql')
  .description('Query and change AWS resources with SQL, through the AWS Cloud Control API')
  .version('0.1.0', '-V, --version')
  .showSuggestionAfterError(true)
  .exitOverride();

const commands: Array<[string, () => Promise<{ register: (p: Command) => void }>]> = [
  ['exec', () => import('./commands/exec.js')],
  ['shell', () => import('./commands/shell.js')],
  ['emulator', () => import('./commands/emulator.js')],
  ['serve', () => import('./commands/serve.js')],
  ['deploy', () => import('./commands/deploy.js')],
];

async function main(argv: string[]): Promise<number> {
  const name = argv[2];
  // Before anything loads the SQL parser (see wasm-tiers.ts).
  if (name !== 'serve') baselineWasmOnly();
  // Register only the subcommand asked for (all of them for --help and unknown names).
  const wanted = commands.filter(([n]) => n === name);
  for (const [, load] of wanted.length > 0 ? wanted : commands) {
    try {
      (await load()).register(program);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    }
  }
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has already printed its message (help/version exit with 0)
      return e.exitCode === 0 ? 0 : 2;
    }
    const err = toCcqlError(e);
    process.stderr.write(`${renderErrorText(err)}\n`);
    if (err.code === 'internal' && process.env.CCQL_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return err.exitCode;
  }
}


const code = await main(process.argv);
process.exitCode = code;
