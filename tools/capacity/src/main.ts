import { main } from '@mdbench/core';
import { capacityCommand } from './command.js';

main(capacityCommand);
