import { main } from '@mdbench/core/internal';
import { reportCommand } from './command.js';

main(reportCommand);
