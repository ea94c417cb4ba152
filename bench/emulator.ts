/**
 * npm run bench:emulator [-- SECONDS_PER_ROUND ROUNDS]
 *
 * GetResource throughput of the emulator (latency 0), as a ratio to a bare node:http server that
 * answers every request with the same JSON body and headers: both servers run in one child
 * process, the client in this one, rounds interleaved so machine noise hits both alike. Two
 * clients: a lean keep-alive HTTP client (what the servers themselves cost) and the AWS SDK (what
 * ccql sees). Then the service's own cost per call, in process (no HTTP, so no network noise):
 * GetResource and UpdateResource as µs per call, against the least any GetResource must do (copy
 * the stored model and serialize it) measured in the same run. Writes the "Emulator throughput"
 * section of bench/RESULTS.md.
 */
import { spawn } from 'node:child_process';
import { createServer, request, Agent } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
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

/** Median µs per call of `fn` over `rounds` rounds of `n` calls, after a warm-up. */
function perCall(fn: () => unknown, n: number, rounds = 5): number {
  for (let i = 0; i < n; i++) fn();
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    times.push(((performance.now() - t) / n) * 1000);
  }
  return median(times);
}

interface InProcess {
  baseline: number;
  getStage: number;
  getConnection: number;
  updateConnection: number;
}

/** The service's own cost per operation, in this process (the state stays small: one resource per type). */
async function inProcess(): Promise<InProcess> {
  const { Catalog } = await import('../src/catalog/loader.js');
  const { CloudControlService } = await import('../src/emulator/service.js');
  const service = new CloudControlService({ catalog: new Catalog() });
  const [stage] = service.seed(TYPE, 'us-east-1', [{ Name: 'bench', Tags: [{ Key: 'team', Value: 'bench' }] }]);
  const connection = 'AWS::Events::Connection';
  service.seed(connection, 'us-east-1', [
    { Name: 'bench', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'bench-secret' } } },
  ]);
  const model = service.store.get('us-east-1', TYPE, stage!.identifier)!.model;
  let flip = false;
  return {
    baseline: perCall(() => JSON.stringify({ TypeName: TYPE, ResourceDescription: { Identifier: stage!.identifier, Properties: JSON.stringify(structuredClone(model)) } }), 20_000),
    getStage: perCall(() => service.call('GetResource', { TypeName: TYPE, Identifier: stage!.identifier }, 'us-east-1'), 20_000),
    getConnection: perCall(() => service.call('GetResource', { TypeName: connection, Identifier: 'bench' }, 'us-east-1'), 20_000),
    updateConnection: perCall(() => {
      flip = !flip;
      return service.call('UpdateResource', { TypeName: connection, Identifier: 'bench', PatchDocument: JSON.stringify([{ op: 'add', path: '/Description', value: flip ? 'a' : 'b' }]) }, 'us-east-1');
    }, 2_000),
  };
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
    const own = await inProcess();
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
      `Result: ${verdict(rawRatio, 'with a lean client')}; ${verdict(sdkRatio, 'through the AWS SDK (what ccql uses)')}.${rawRatio > 1 || sdkRatio > 1 ? ' Ratios above 1 are machine noise (2 cores shared by client and servers).' : ''} Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}.`,
      '',
      'The service itself, in process (no HTTP; median of 5 rounds after a warm-up), against the least a GetResource must do (copy the stored model and serialize the answer):',
      '',
      '| Call | µs per call | Ratio to the baseline |',
      '|---|---|---|',
      `| baseline: clone + serialize the stage's model | ${own.baseline.toFixed(1)} | 1.00× |`,
      `| GetResource, IVS stage | ${own.getStage.toFixed(1)} | ${(own.getStage / own.baseline).toFixed(2)}× |`,
      `| GetResource, EventBridge connection (write-only values removed) | ${own.getConnection.toFixed(1)} | ${(own.getConnection / own.baseline).toFixed(2)}× |`,
      `| UpdateResource, EventBridge connection (patch the read model, validate, put back the stored secret, complete) | ${own.updateConnection.toFixed(1)} | ${(own.updateConnection / own.baseline).toFixed(2)}× |`,
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
