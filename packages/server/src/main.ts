import { main } from '@mdbench/core/internal';
import { serverCommand } from './command.js';

main(serverCommand);
