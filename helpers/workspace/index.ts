/** The public face of helpers/workspace/: what the rest of the engine, the glue and the tools use. */
export { expectCombinedLogContains, expectFileAbsent, expectFileContains, expectFileExists } from './expect-files.js';
export { installFixture, writeWorkspaceFile } from './files.js';
export { ensurePrivateDirectory } from './private-directory.js';
export { readRegularFile, type RegularFileRead } from './regular-file.js';
export { createWorkspace, removeRunDirectoryIfEmpty, removeWorkspace } from './workspace.js';
