export { serverCommand } from './command.js';
export { serverSpecs, type ServerConfig } from './options.js';

export { HubReader, HubBatcher, encodeHub, HubKind } from './hub/codec.js';
export { chooseServerWorkers, serverHostPlan } from './primary/plan.js';
