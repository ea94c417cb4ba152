/**
 * `ccql emulator`: the local Cloud Control emulator as a foreground service, for the AWS CLI,
 * SDKs and ccql's own `--endpoint-url`. Stops cleanly (state written) on Ctrl-C or SIGTERM.
 * Several may serve one `--data FILE` at once (and `ccql … --local` on it too): every call is
 * made under the file's lock against what the file holds, so none undoes another's changes.
 */
import type { Command } from 'commander';
import { CcqlError } from '../../errors.js';
import { numberFlag } from '../flags.js';

interface Flags {
  host: string;
  port: string;
  data?: string;
  latencyMs: string;
  throttleRps: string;
  faultRate: string;
  pageSize: string;
  requestDelayMs: string;
  seed: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('emulator')
    .description('run the local AWS Cloud Control emulator (awsJson1.0 over HTTP, driven by the provider schemas)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '4566')
    .option('--data <file>', 'keep state in this file (written atomically before each change is answered; may be shared by several emulators)')
    .option('--latency-ms <n>', 'delay added to every API call, in milliseconds', '0')
    .option('--throttle-rps <n>', 'requests per second per region before ThrottlingException (0: no limit)', '0')
    .option('--fault-rate <f>', 'fraction of calls answered with a retryable 5xx error (0-1)', '0')
    .option('--page-size <n>', 'ListResources page size', '25')
    .option('--request-delay-ms <n>', 'how long create/update/delete requests stay IN_PROGRESS', '0')
    .option('--seed <name>', "initial resources for a new state: 'demo' or 'none'", 'none')
    .option('--quiet', 'no log lines on stderr')
    .action(async (flags: Flags) => {
      if (flags.seed !== 'demo' && flags.seed !== 'none') {
        throw new CcqlError('usage', `invalid value '${flags.seed}' for --seed`, { hint: "use 'demo' or 'none'" });
      }
      const opts = {
        host: flags.host,
        port: numberFlag('--port', flags.port, { integer: true, min: 0, max: 65535 }),
        latencyMs: numberFlag('--latency-ms', flags.latencyMs, { min: 0 }),
        throttleRps: numberFlag('--throttle-rps', flags.throttleRps, { min: 0 }),
        faultRate: numberFlag('--fault-rate', flags.faultRate, { min: 0, max: 1 }),
        pageSize: numberFlag('--page-size', flags.pageSize, { integer: true, min: 1, max: 100 }),
        requestDelayMs: numberFlag('--request-delay-ms', flags.requestDelayMs, { min: 0 }),
        seed: flags.seed,
        quiet: flags.quiet ?? false,
        ...(flags.data !== undefined ? { dataFile: flags.data } : {}),
      } as const;
      const { startEmulator } = await import('../../emulator/index.js');
      const emu = await startEmulator(opts);
      const log = (line: string): void => {
        if (!opts.quiet) process.stderr.write(`${line}\n`);
      };
      log(`ccql emulator listening on ${emu.url}${flags.data ? ` (state in ${flags.data})` : ''}`);
      log(`  aws --endpoint-url ${emu.url} cloudcontrol list-resources --type-name AWS::IVS::Stage`);
      // Stay in the foreground until a signal; then stop cleanly so the data file is complete.
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          emu.stop().then(resolve, (e: unknown) => {
            process.stderr.write(`ccql emulator: ${(e as Error).message}\n`);
            resolve();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      log('ccql emulator stopped');
    });
}
