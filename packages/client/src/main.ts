import { main } from '@mdbench/core/internal';
import { clientCommand } from './command.js';

main(clientCommand);
