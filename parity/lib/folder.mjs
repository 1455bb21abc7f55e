// Shared helpers of the transformers.js oracle scripts: point transformers.js at one local model folder,
// never at the network, and report the versions in use.
import path from 'node:path';
import fs from 'node:fs';
import { env } from '@huggingface/transformers';

/**
 * Configures transformers.js to load only from the local folder `dir`.
 * @returns {string} the model id to pass to `from_pretrained` (the folder's name under `env.localModelPath`)
 */
export function useLocalFolder(dir) {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw new Error(`model folder not found: ${abs}`);
  }
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useBrowserCache = false;
  env.useFSCache = false;
  env.localModelPath = path.dirname(abs) + path.sep;
  return path.basename(abs);
}

const NODE_MODULES = path.join(path.dirname(path.dirname(new URL(import.meta.url).pathname)), 'node_modules');

/** Version of an installed package (read from its package.json, which `exports` maps may hide from require). */
function packageVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(NODE_MODULES, name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** Versions of the oracle's moving parts, printed by every script. */
export function versions() {
  return {
    transformers: env.version,
    onnxruntimeNode: packageVersion('onnxruntime-node'),
    tokenizers: packageVersion('@huggingface/tokenizers'),
    jinja: packageVersion('@huggingface/jinja'),
    node: process.version,
  };
}

/** Reads all of stdin as a string (empty if stdin is a TTY). */
export async function readStdin() {
  if (process.stdin.isTTY) return '';
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}
