// Oracle for prompt construction: renders the folder's chat template with transformers.js' jinja, expands <image>
// for each (rows, cols) layout with its Idefics3Processor and tokenizes with its tokenizer.
//
// Input: JSON on stdin {"model": DIR, "question": Q, "layouts": [[rows, cols], ...]}
//    or: node prompt.mjs DIR QUESTION 4x4 3x4 0x0 ...     (0x0 = unsplit image)
// Output (stdout): {"versions": {...}, "chat": RENDERED_TEMPLATE, "results": [{rows, cols, text, input_ids}]}
//
// How the layouts reach the processor: Idefics3Processor._call takes the rows/cols that its image processor
// reports and builds the prompt from them (get_image_prompt_string, not exported). We call the processor's own
// _call with its image-processor component replaced by one that reports the requested rows/cols, so the
// expansion, the splitting of the text at <image> and the tokenization are all transformers.js' own code, and any
// layout (also ones its resize would never produce for the configured sizes) can be checked.
import { AutoProcessor } from '@huggingface/transformers';
import { useLocalFolder, versions, readStdin } from './lib/folder.mjs';

async function parseInput() {
  const args = process.argv.slice(2);
  if (args.length >= 2) {
    return {
      model: args[0],
      question: args[1],
      layouts: args.slice(2).map((s) => s.split('x').map(Number)),
    };
  }
  const text = await readStdin();
  if (!text.trim()) {
    throw new Error('usage: node prompt.mjs DIR QUESTION RxC... | or JSON {model, question, layouts} on stdin');
  }
  return JSON.parse(text);
}

const input = await parseInput();
const modelId = useLocalFolder(input.model);
const processor = await AutoProcessor.from_pretrained(modelId);
const messages = [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: input.question }] }];
const chat = processor.apply_chat_template(messages, { add_generation_prompt: true });

const realImageProcessor = processor.components.image_processor;
const results = [];
try {
  for (const [rows, cols] of input.layouts) {
    processor.components.image_processor = async () => ({ rows: [[rows]], cols: [[cols]] });
    // Spy on the tokenizer call to capture the expanded text transformers.js tokenizes.
    let expanded = null;
    const tokenizer = processor.components.tokenizer;
    const spy = new Proxy(tokenizer, {
      apply: (target, thisArg, argList) => {
        expanded = argList[0];
        return Reflect.apply(target, thisArg, argList);
      },
    });
    processor.components.tokenizer = spy;
    try {
      const out = await processor(chat, [{ placeholder: true }]);
      results.push({
        rows,
        cols,
        text: Array.isArray(expanded) ? expanded[0] : expanded,
        input_ids: Array.from(out.input_ids.data, (x) => Number(x)),
      });
    } finally {
      processor.components.tokenizer = tokenizer;
    }
  }
} finally {
  processor.components.image_processor = realImageProcessor;
}

process.stdout.write(JSON.stringify({ versions: versions(), chat, results }) + '\n');
