/** The public face of helpers/output/: what the rest of the engine, the glue and the tools use. */
export { CombinedLog, LineWriter } from './combined-log.js';
export { fileContains, readFileTail } from './file-search.js';
export { OutputSpool } from './output.js';
export { watchForBytes } from './watch-bytes.js';
export { docStringBytes, parseText, quoteBytes, showBytes, tailLines } from './text.js';
