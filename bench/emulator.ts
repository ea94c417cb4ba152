/**
 * npm run bench:emulator [-- SECONDS_PER_ROUND ROUNDS]
 *
 * GetResource throughput of the emulator (latency 0), as a ratio to a bare node:http server that
 * answers every request with the same JSON body and headers: both servers run in one child
 * process, the client in this one, rounds interleaved so machine noise hits both alike. Two
 * clients: a lean keep-alive HTTP client (what the servers themselves cost) and the AWS SDK (what
 * ccql sees). Writes the "Emulator throughput" section of bench/RESULTS.md.
 */
import { spawn } from 'node:child_process';
import { createServer, request, Agent } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CloudControlClient, GetResourceCommand } from '@aws-sdk/client-cloudcontrol';

const root = join(import.meta.dirname, '..');
const TYPE = 'AWS::IVS::Stage';

interface Endpoints {
  emulator: string;
  bare: string;
  identifier: string;
}

async function serve(): Promise<void> {
  const { startEmulator } = await import('../src/emulator/index.js');
  const emu = await startEmulator({ port: 0, seed: 'none', quiet: true });
  const [stage] = emu.seedResources(TYPE, 'us-east-1', [{ Name: 'bench', Tags: [{ Key: 'team', Value: 'bench' }] }]);
  const identifier = stage!.identifier;
  const body = JSON.stringify(emu.service.call('GetResource', { TypeName: TYPE, Identifier: identifier }, 'us-east-1'));
  const bare = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    // Reads the request as the emulator does, then answers the same bytes.
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(body), 'x-amzn-RequestId': randomUUID() });
      res.end(body);
    });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const port = (bare.address() as { port: number }).port;
  const endpoints: Endpoints = { emulator: emu.url, bare: `http://127.0.0.1:${port}`, identifier };
  process.stdout.write(`${JSON.stringify(endpoints)}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

/** Requests per second over `seconds` with `concurrency` keep-alive connections. */
async function rawLoad(url: string, payload: string, seconds: number, concurrency: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const { hostname, port } = new URL(url);
  const headers = {
    'Content-Type': 'application/x-amz-json-1.0',
    'X-Amz-Target': 'CloudApiService.GetResource',
    Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/cloudcontrolapi/aws4_request, SignedHeaders=host, Signature=0',
    'Content-Length': Buffer.byteLength(payload),
  };
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request({ hostname, port, method: 'POST', path: '/', agent, headers }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
        res.on('data', () => undefined);
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end(payload);
    });
  let done = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await one();
        done++;
      }
    }),
  );
  agent.destroy();
  return done / ((performance.now() - start) / 1000);
}

async function sdkLoad(url: string, identifier: string, seconds: number, concurrency: number): Promise<number> {
  const client = new CloudControlClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }, maxAttempts: 1 });
  let done = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await client.send(new GetResourceCommand({ TypeName: TYPE, Identifier: identifier }));
        done++;
      }
    }),
  );
  client.destroy();
  return done / ((performance.now() - start) / 1000);
}

function verdict(ratio: number, how: string): string {
  return ratio >= 0.9
    ? `${how} the emulator answers GetResource as fast as a server returning fixed JSON (${ratio.toFixed(2)}×), so it is not the bottleneck of a benchmark`
    : `${how} the emulator answers GetResource at ${ratio.toFixed(2)}× the rate of a server returning fixed JSON`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 2);
  const rounds = Number(process.argv[3] ?? 5);
  const concurrency = 16;
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'emulator.ts'), '--serve'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server process exited (${code})`)));
  });
  const ep = JSON.parse(line) as Endpoints;
  const payload = JSON.stringify({ TypeName: TYPE, Identifier: ep.identifier });
  try {
    // Warm-up: JIT, connection pools, the schema validator.
    await rawLoad(ep.emulator, payload, 0.5, concurrency);
    await rawLoad(ep.bare, payload, 0.5, concurrency);
    const raw = { bare: [] as number[], emu: [] as number[] };
    const sdk = { bare: [] as number[], emu: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      raw.bare.push(await rawLoad(ep.bare, payload, seconds, concurrency));
      raw.emu.push(await rawLoad(ep.emulator, payload, seconds, concurrency));
      sdk.bare.push(await sdkLoad(ep.bare, ep.identifier, seconds, concurrency));
      sdk.emu.push(await sdkLoad(ep.emulator, ep.identifier, seconds, concurrency));
    }
    const rawRatio = median(raw.emu) / median(raw.bare);
    const sdkRatio = median(sdk.emu) / median(sdk.bare);
    const f = (n: number): string => Math.round(n).toLocaleString('en-US');
    const section = [
      '## Emulator throughput (issue 3)',
      '',
      `Command: \`npm run bench:emulator\` (bench/emulator.ts: GetResource of one IVS stage, latency 0, ${concurrency} keep-alive connections, ${rounds} interleaved rounds of ${seconds} s per row; both servers in one child process, the client in the parent).`,
      '',
      '| Client | Bare node:http, same JSON (baseline) | Emulator | Ratio |',
      '|---|---|---|---|',
      `| lean node:http client | ${f(median(raw.bare))} req/s | ${f(median(raw.emu))} req/s | **${rawRatio.toFixed(2)}×** |`,
      `| @aws-sdk/client-cloudcontrol | ${f(median(sdk.bare))} req/s | ${f(median(sdk.emu))} req/s | **${sdkRatio.toFixed(2)}×** |`,
      '',
      `Result: ${verdict(rawRatio, 'with a lean client')}; ${verdict(sdkRatio, 'through the AWS SDK (what ccql uses)')}.${rawRatio > 1 || sdkRatio > 1 ? ' Ratios above 1 are machine noise (2 cores shared by client and servers).' : ''} Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch}, node ${process.version}.`,
      '',
    ].join('\n');
    const resultsPath = join(root, 'bench', 'RESULTS.md');
    const results = readFileSync(resultsPath, 'utf8');
    // Replace this section only: from its heading up to the next "## " heading.
    writeFileSync(resultsPath, results.replace(/## Emulator throughput \(issue 3\)\n[\s\S]*?(?=\n## |$)/, section));
    console.log(section);
  } finally {
    child.stdin!.end();
    child.kill();
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
