// Oracle for generation: runs transformers.js' own SmolVLM/Idefics3 generate() over the ONNX graphs of a local model
// folder, fed with the exact pixel_values and input_ids the Java engine used (dumped by `enricher inspect` as .npy),
// greedy (do_sample: false), and prints the generated ids with the prompt stripped.
//
// Input: JSON on stdin {"model": DIR, "dtype": "fp32" | {"decoder_model_merged": "fp16", ...},
//                      "cases": [{"dump": DUMP_DIR, "max_new_tokens": N}, ...]}
//    or: node generate.mjs DIR DUMP_DIR MAX_NEW_TOKENS [DTYPE]   (DTYPE: fp32, fp16, int8, uint8, q8, q4, q4f16, bnb4,
//        or a JSON object per graph such as '{"vision_encoder":"fp32","embed_tokens":"q4","decoder_model_merged":"q4"}')
// DUMP_DIR holds pixel_values.npy (float32 [1,T,3,S,S]) and input_ids.npy (int64 [1,N]).
// Output (stdout): {"versions": {...}, "results": [{"dump", "max_new_tokens", "generated_ids"}]}
import path from 'node:path';
import { AutoModelForVision2Seq, Tensor } from '@huggingface/transformers';
import { useLocalFolder, versions, readStdin } from './lib/folder.mjs';
import { readNpy } from './lib/npy.mjs';

async function parseInput() {
  const args = process.argv.slice(2);
  if (args.length >= 3) {
    const dtype = args[3] === undefined ? 'fp32' : args[3].startsWith('{') ? JSON.parse(args[3]) : args[3];
    return { model: args[0], dtype, cases: [{ dump: args[1], max_new_tokens: Number(args[2]) }] };
  }
  const text = await readStdin();
  if (!text.trim()) throw new Error('usage: node generate.mjs DIR DUMP MAX_NEW_TOKENS | JSON {model, cases} on stdin');
  return JSON.parse(text);
}

const input = await parseInput();
const modelId = useLocalFolder(input.model);
const model = await AutoModelForVision2Seq.from_pretrained(modelId, {
  dtype: input.dtype ?? 'fp32',
  device: 'cpu',
  session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 },
});

const results = [];
for (const c of input.cases) {
  const px = readNpy(path.join(c.dump, 'pixel_values.npy'));
  const ids = readNpy(path.join(c.dump, 'input_ids.npy'));
  const [b, t, , s1, s2] = px.shape;
  const pixel_values = new Tensor('float32', px.data, px.shape);
  const pixel_attention_mask = new Tensor('bool', new Uint8Array(b * t * s1 * s2).fill(1), [b, t, s1, s2]);
  const input_ids = new Tensor('int64', ids.data, ids.shape);
  const attention_mask = new Tensor('int64', new BigInt64Array(ids.data.length).fill(1n), ids.shape);
  const out = await model.generate({
    input_ids,
    attention_mask,
    pixel_values,
    pixel_attention_mask,
    max_new_tokens: c.max_new_tokens,
    do_sample: false,
  });
  const all = Array.from(out.tolist()[0], (x) => Number(x));
  results.push({ dump: c.dump, max_new_tokens: c.max_new_tokens, generated_ids: all.slice(ids.shape[1]) });
}
await model.dispose();
process.stdout.write(JSON.stringify({ versions: versions(), results }) + '\n');
