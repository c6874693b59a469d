export { capacityCommand } from './command.js';
