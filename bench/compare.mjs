// Ours vs transformers.js on identical work: same model folder and variant (fp32 unless --variant; transformers.js's
// `dtype` for the same files), same image, same prompt, same thread budget, same tiles. For every configuration (--longest-edge values; "default" = the model's own splitting, "nosplit" = one
// global tile) it
//   1. writes the engine's exact inputs with `enricher inspect` (pixel_values.npy, input_ids.npy),
//   2. runs `enricher bench` (one worker, --threads T) on the image,
//   3. runs transformers.js (bench/tjs-run.mjs, onnxruntime-node, intraOpNumThreads T) on the dumped inputs,
//   4. checks that both generated the same ids (exit 1 before any timing is printed otherwise),
// then prints stage medians, tok/s, images/s and peak RSS for both, with ratios, and a JSON line.
//
//   node bench/compare.mjs --model-dir DIR [--jar enricher/target/enricher.jar] [--image FILE] [--threads 2]
//       [--variant fp32|int8|q4|...|int8,vision=q4] [--longest-edge default,512] [--rounds 3] [--runs 3] [--warmup 1] [--max-new-tokens 16] [--json-out FILE]
//   node bench/compare.mjs --quick     # seconds: a tiny synthetic model and picture in a temporary folder
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const REPO = path.dirname(HERE);

function parseArgs(argv) {
  const o = { jar: path.join(REPO, 'enricher/target/enricher.jar'), threads: 2, edges: ['default', '512'], runs: 3,
    variant: 'fp32',
    warmup: 1, rounds: 3, maxNewTokens: 16, java: process.env.JAVA
      ?? (process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--model-dir') o.modelDir = next();
    else if (a === '--jar') o.jar = next();
    else if (a === '--image') o.image = next();
    else if (a === '--threads') o.threads = Number(next());
    else if (a === '--variant') o.variant = next();
    else if (a === '--longest-edge') o.edges = next().split(',');
    else if (a === '--runs') o.runs = Number(next());
    else if (a === '--warmup') o.warmup = Number(next());
    else if (a === '--rounds') o.rounds = Number(next());
    else if (a === '--max-new-tokens') o.maxNewTokens = Number(next());
    else if (a === '--json-out') o.jsonOut = next();
    else if (a === '--quick') o.quick = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

/** A smooth RGB test picture as a PNG (no image library needed). */
function writePng(file, w, h) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, c]);
  };
  const raw = Buffer.alloc(h * (1 + 3 * w));
  for (let y = 0; y < h; y++) {
    raw[y * (1 + 3 * w)] = 0;
    for (let x = 0; x < w; x++) {
      const p = y * (1 + 3 * w) + 1 + 3 * x;
      raw[p] = (255 * x) / w;
      raw[p + 1] = (255 * y) / h;
      raw[p + 2] = (128 + 127 * Math.sin((x + y) / 37)) | 0;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
}

// our variant names and graph keys → transformers.js's dtype names and graph names
const TJS_DTYPE = { fp32: 'fp32', fp16: 'fp16', int8: 'int8', uint8: 'uint8', quantized: 'q8', q8: 'q8', q4: 'q4',
  q4f16: 'q4f16', bnb4: 'bnb4' };
const TJS_GRAPH = { vision: 'vision_encoder', embed: 'embed_tokens', decoder: 'decoder_model_merged' };

/** transformers.js's `dtype` option for one of our variant choices ("int8", or per graph "int8,vision=q4"). */
function tjsDtype(variant) {
  const dtype = (v) => TJS_DTYPE[v] ?? (() => { throw new Error(`unknown variant ${v}`); })();
  const [base, ...perGraph] = variant.split(',');
  if (perGraph.length === 0) return dtype(base);
  const d = Object.fromEntries(Object.values(TJS_GRAPH).map((g) => [g, dtype(base)]));
  for (const p of perGraph) {
    const [graph, v] = p.split('=');
    if (!TJS_GRAPH[graph]) throw new Error(`unknown graph ${graph} in ${variant}`);
    d[TJS_GRAPH[graph]] = dtype(v);
  }
  return d;
}

const java = (o, args) => execFileSync(o.java, ['--enable-native-access=ALL-UNNAMED', '-jar', o.jar, ...args],
  { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

function runOurs(o, edgeArgs, file) {
  java(o, ['bench', '--model-dir', o.modelDir, '--variant', o.variant, '--images', o.image,
    '--intra-op-threads', String(o.threads), '--workers', '1', ...edgeArgs, '--runs', String(o.runs), '--warmup', String(o.warmup),
    '--max-new-tokens', String(o.maxNewTokens), '--json-out', file]);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function runTjs(o, dump) {
  return JSON.parse(execFileSync(process.execPath, [path.join(HERE, 'tjs-run.mjs')], {
    encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['pipe', 'pipe', 'inherit'],
    input: JSON.stringify({ model: o.modelDir, dtype: tjsDtype(o.variant), dump, threads: o.threads, runs: o.runs, warmup: o.warmup,
      max_new_tokens: o.maxNewTokens }),
  }));
}

const KEYS = ['vision', 'prefill', 'firstToken', 'decodeLoop', 'total', 'tokensPerSecond'];

/**
 * One configuration: `rounds` alternating pairs of processes (ours, then transformers.js), each `warmup` + `runs`
 * captions, so both sides see the same drift of a shared machine; figures are medians over every measured run
 * (ours: the medians of each process), peak RSS the largest of any process.
 */
function measure(o, edge, work) {
  const edgeArgs = edge === 'default' ? [] : edge === 'nosplit' ? ['--no-split'] : ['--longest-edge', edge];
  const dump = path.join(work, `dump-${edge}`);
  java(o, ['inspect', '--model-dir', o.modelDir, '--variant', o.variant, ...edgeArgs, '--dump', dump, o.image]);
  const ours = [];
  const tjs = [];
  for (let r = 0; r < o.rounds; r++) {
    ours.push(runOurs(o, edgeArgs, path.join(work, `ours-${edge}-${r}.json`)));
    tjs.push(runTjs(o, dump));
    const a = ours[r].configurations[0].tokenIds;
    const b = tjs[r].generatedIds;
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      console.error(`configuration ${edge}: generated ids differ, no timing reported\n  ours ${JSON.stringify(a)}`
        + `\n  tjs  ${JSON.stringify(b)}`);
      process.exit(1);
    }
  }
  const c = ours[0].configurations[0];
  const oursMedian = Object.fromEntries(KEYS.map((k) => [k, median(ours.map((x) => x.configurations[0].median[k]))]));
  const tjsRuns = tjs.flatMap((x) => x.runs);
  const t = Object.fromEntries(KEYS.map((k) => [k, median(tjsRuns.map((r) => r[k]))]));
  return {
    configuration: edge, tiles: c.tiles, promptTokens: c.promptTokens, generatedTokens: c.tokenIds.length,
    idsEqual: true, rounds: o.rounds,
    // images/s of one worker, both sides the same way: 1 / median total
    ours: { ...oursMedian, imagesPerSecond: 1000 / oursMedian.total,
      peakRssMiB: Math.max(...ours.map((x) => x.peakRssMiB)) },
    transformersJs: { ...t, imagesPerSecond: 1000 / t.total, peakRssMiB: Math.max(...tjs.map((x) => x.peakRssMiB)) },
    versions: { ortJava: ours[0].ortVersion, ...tjs[0].versions },
  };
}

const o = parseArgs(process.argv.slice(2));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-compare-'));
try {
  if (o.quick) {
    o.modelDir = path.join(work, 'tiny');
    java(o, ['synth-model', '--preset', 'tiny', '--out', o.modelDir]);
    o.runs = 1;
    o.warmup = 0;
    o.rounds = 1;
    o.maxNewTokens = Math.min(o.maxNewTokens, 4);
    o.threads = 1;
    o.edges = ['default', 'nosplit'];
  }
  if (!o.modelDir) throw new Error('--model-dir DIR is required (or --quick)');
  if (!o.image) {
    o.image = path.join(work, o.quick ? 'picture-300x200.png' : 'generated-1024x1024.png');
    o.quick ? writePng(o.image, 300, 200) : writePng(o.image, 1024, 1024);
  }
  const results = o.edges.map((e) => measure(o, e, work));
  console.log(`ours (ORT Java ${results[0].versions.ortJava}) vs transformers.js ${results[0].versions.transformers} `
    + `(onnxruntime-node ${results[0].versions.onnxruntimeNode}), ${o.threads} thread(s), ${o.variant}, ${o.rounds} alternating `
    + `rounds of ${o.runs} runs after ${o.warmup} warm-up per process, max ${o.maxNewTokens} new tokens, image ${o.image}; generated ids equal in every case`);
  const rows = [['vision', 'ms'], ['prefill', 'ms'], ['firstToken', 'ms'], ['decodeLoop', 'ms'], ['total', 'ms'],
    ['tokensPerSecond', 'rate'], ['imagesPerSecond', 'rate'], ['peakRssMiB', 'mem']];
  for (const r of results) {
    console.log(`\n${r.configuration}: ${r.tiles} tile(s), ${r.promptTokens} prompt tokens, ${r.generatedTokens} ids`);
    console.log(`${'median'.padEnd(16)} ${'ours'.padStart(10)} ${'tjs'.padStart(10)}  ratio`);
    for (const [k, kind] of rows) {
      const a = r.ours[k];
      const b = r.transformersJs[k];
      // ratio > 1 means ours is better: faster (tjs time / ours), higher rate (ours / tjs), or ours/tjs for memory
      const ratio = kind === 'ms' ? b / a : a / b;
      const label = kind === 'ms' ? 'x faster' : kind === 'rate' ? 'x' : 'x (ours / tjs)';
      console.log(`${k.padEnd(16)} ${a.toFixed(1).padStart(10)} ${b.toFixed(1).padStart(10)}  ${ratio.toFixed(2)}${label}`);
      r[`ratio_${k}`] = Number(ratio.toFixed(3));
    }
  }
  const report = JSON.stringify({ variant: o.variant, threads: o.threads, rounds: o.rounds, runs: o.runs, warmup: o.warmup, maxNewTokens: o.maxNewTokens,
    image: o.image, modelDir: o.modelDir, results });
  console.log(report);
  if (o.jsonOut) fs.writeFileSync(o.jsonOut, report + '\n');
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
