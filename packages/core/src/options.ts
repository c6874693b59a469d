// @mdbench/core/options: the option tables and what reads them, light enough for a worker process
// (nothing of the terminal, the reports or the host checks): a command's table is imported by its
// coordinator and by its workers, which check the resolved options they are handed against it. The
// load generators' shared rows (which name the protocols) are `@mdbench/core/load-options`.
export { defineOptions, type ConfigOf } from './config/option-spec.js';
export { checkOptions } from './config/option-shape.js';
export { commonSpecs } from './cli/common-options.js';
export { compressionServerSpecs } from './cli/compression-options.js';
export { tlsServerSpecs } from './cli/tls-options.js';
