export { doctorSpecs, runDoctor } from './command.js';
