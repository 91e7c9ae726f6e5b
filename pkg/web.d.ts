export * from './index.js';

/** Loads the wasm core; call once before anything else. */
export default function init(options?: {
  module_or_path?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
}): Promise<void>;
