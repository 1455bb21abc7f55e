// One transformers.js measurement in its own process (so its peak RSS is its own): loads a local model folder with
// onnxruntime-node on the CPU, replays one dump (pixel_values.npy + input_ids.npy written by `enricher inspect`)
// through model.generate({do_sample: false}) warmup + runs times, and prints JSON: generated ids, per-run stage
// times (vision = the vision encoder session, prefill = embed + merge + first decoder run, decodeLoop = the rest),
// and the process's peak RSS.
//
// Input: JSON on stdin {"model": DIR, "dtype": "fp32" | "int8" | {"vision_encoder": "q4", ...}, "dump": DIR, "threads": T, "runs": R, "warmup": W, "max_new_tokens": N}
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { useLocalFolder, versions, readStdin } from '../parity/lib/folder.mjs';

const { AutoModelForVision2Seq, Tensor } = await import(
  new URL('../parity/node_modules/@huggingface/transformers/dist/transformers.node.mjs', import.meta.url));

/** Reads a little-endian C-order .npy file (format 1.x/2.x). */
function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf[0] !== 0x93 || buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${file} is not an .npy file`);
  const headerLen = buf[6] === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const offset = buf[6] === 1 ? 10 : 12;
  const header = buf.toString('latin1', offset, offset + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const bytes = buf.buffer.slice(buf.byteOffset + offset + headerLen, buf.byteOffset + buf.length);
  const typed = { '<f4': Float32Array, '<i8': BigInt64Array }[descr];
  if (!typed) throw new Error(`${file}: unsupported dtype ${descr}`);
  return { shape, data: new typed(bytes) };
}

const input = JSON.parse(await readStdin());
const threads = input.threads ?? 1;
const t0 = performance.now();
const model = await AutoModelForVision2Seq.from_pretrained(useLocalFolder(input.model), {
  dtype: input.dtype ?? 'fp32',
  device: 'cpu',
  session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
});
const loadMs = performance.now() - t0;

let visionMs = 0;
const encodeImage = model.encode_image.bind(model);
model.encode_image = async (x) => {
  const s = performance.now();
  const r = await encodeImage(x);
  visionMs += performance.now() - s;
  return r;
};

const px = readNpy(path.join(input.dump, 'pixel_values.npy'));
const ids = readNpy(path.join(input.dump, 'input_ids.npy'));
const [b, t, , s1, s2] = px.shape;
const runs = [];
let generated = null;
for (let i = 0; i < (input.warmup ?? 1) + (input.runs ?? 3); i++) {
  const puts = [];
  visionMs = 0;
  const start = performance.now();
  const out = await model.generate({
    input_ids: new Tensor('int64', ids.data, ids.shape),
    attention_mask: new Tensor('int64', new BigInt64Array(ids.data.length).fill(1n), ids.shape),
    pixel_values: new Tensor('float32', px.data, px.shape),
    pixel_attention_mask: new Tensor('bool', new Uint8Array(b * t * s1 * s2).fill(1), [b, t, s1, s2]),
    max_new_tokens: input.max_new_tokens,
    do_sample: false,
    // put() is called with the prompt first, then after every generated id
    streamer: { put: () => puts.push(performance.now()), end: () => {} },
  });
  const end = performance.now();
  generated = Array.from(out.tolist()[0], (x) => Number(x)).slice(ids.shape[1]);
  const first = (puts[1] ?? end) - start;
  if (i >= (input.warmup ?? 1)) {
    runs.push({ vision: visionMs, prefill: first - visionMs, firstToken: first, decodeLoop: end - start - first,
      total: end - start, tokensPerSecond: generated.length / ((end - start - visionMs) / 1000) });
  }
}
await model.dispose();
process.stdout.write(JSON.stringify({ versions: versions(), threads, loadMs, tiles: t, promptTokens: ids.shape[1],
  generatedIds: generated, runs, peakRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n');
