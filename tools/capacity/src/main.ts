import { main } from '@mdbench/core/internal';
import { capacityCommand } from './command.js';

main(capacityCommand);
