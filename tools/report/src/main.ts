import { main } from '@mdbench/core';
import { reportCommand } from './command.js';

main(reportCommand);
