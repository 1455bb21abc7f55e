// Runs ONE ONNX graph with onnxruntime-node (the runtime transformers.js uses) on inputs read from .npy files and
// writes every output as .npy: lets a Java test show whether a difference comes from the runtime's kernels (same
// file, same inputs, different outputs) rather than from the engine around them.
//
// Input: JSON on stdin {"onnx": FILE, "inputs": {NAME: NPY_FILE, ...}, "empty": {NAME: {"type": "float16",
//        "dims": [1, 2, 0, 16]}, ...}, "out": DIR}   ("empty": zero-length tensors, e.g. the cache of a first step)
// Output (stdout): {"versions": {...}, "outputs": {NAME: {"file": NPY_FILE, "dtype": "float32", "dims": [...]}}}
// Session options as the oracle's generate.mjs (transformers.js defaults): cpu, 1 intra-op thread, optimisation 'all'.
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { versions, readStdin } from './lib/folder.mjs';
import { readNpy, writeNpy } from './lib/npy.mjs';

const input = JSON.parse(await readStdin());
const session = await ort.InferenceSession.create(input.onnx, {
  executionProviders: ['cpu'],
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
});
const ORT_TYPE = { '<f4': 'float32', '<i8': 'int64', '|b1': 'bool', '<f2': 'float16' };
const feeds = {};
for (const [name, file] of Object.entries(input.inputs)) {
  const a = readNpy(file);
  feeds[name] = new ort.Tensor(ORT_TYPE[a.descr], a.data, a.shape);
}
for (const [name, spec] of Object.entries(input.empty ?? {})) {
  const cls = { float32: Float32Array, float16: Uint16Array, int64: BigInt64Array }[spec.type];
  feeds[name] = new ort.Tensor(spec.type, new cls(0), spec.dims);
}
const results = await session.run(feeds);
fs.mkdirSync(input.out, { recursive: true });
const outputs = {};
for (const [name, t] of Object.entries(results)) {
  const file = path.join(input.out, `${name}.npy`);
  writeNpy(file, t);
  outputs[name] = { file, dtype: t.type, dims: t.dims };
}
await session.release();
process.stdout.write(JSON.stringify({ versions: versions(), outputs }) + '\n');
