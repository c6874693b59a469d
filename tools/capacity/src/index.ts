export { capacityCommand } from './command.js';
export { capacitySpecs } from './options.js';
export { parseObjectives, judge, type Objective, type StepFigures } from './objectives.js';
export { CapacitySearch } from './search.js';
export { stepFigures } from './window.js';
export { tableLines, passFlags } from './run.js';
