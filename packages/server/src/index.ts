export { serverCommand } from './command.js';
export { serverSpecs, type ServerConfig } from './options.js';
export { Subscriptions } from './worker/subscriptions.js';
export { HubReader, HubBatcher, encodeHub, HubKind } from './hub/codec.js';
export { chooseServerWorkers, serverHostPlan } from './primary/plan.js';
