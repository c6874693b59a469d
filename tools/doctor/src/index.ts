export { doctorSpecs } from './command.js';
