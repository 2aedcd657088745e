// Load generator for the response benchmark, run as its own process so that it does not share the
// server's event loop. Reads a JSON job from argv: { url, tokens: [...], concurrency, durationMs? }.
// Each token is submitted once; prints one JSON line with statuses and latencies (ms).
import http from 'node:http';
import { readFileSync } from 'node:fs';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const target = new URL(job.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
const latencies = new Float64Array(job.tokens.length);
const statuses = {};
let next = 0;
let done = 0;

function one(i) {
  return new Promise((resolve) => {
    const body = `score=${i % 11}&why=${encodeURIComponent(`Antwoord ${i}: prima service`)}&lang=nl`;
    const t0 = performance.now();
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: `/s/${job.tokens[i]}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          latencies[i] = performance.now() - t0;
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          done++;
          resolve();
        });
      },
    );
    req.on('error', (e) => {
      statuses[e.code ?? 'error'] = (statuses[e.code ?? 'error'] ?? 0) + 1;
      latencies[i] = performance.now() - t0;
      done++;
      resolve();
    });
    req.end(body);
  });
}

async function worker() {
  while (next < job.tokens.length) await one(next++);
}

const start = performance.now();
await Promise.all(Array.from({ length: job.concurrency }, worker));
const elapsed = performance.now() - start;
const sorted = Array.from(latencies).sort((a, b) => a - b);
const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
console.log(
  JSON.stringify({
    requests: done,
    elapsedMs: elapsed,
    statuses,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    max: sorted[sorted.length - 1],
  }),
);
agent.destroy();
