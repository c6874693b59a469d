import { main } from '@mdbench/core';
import { clientCommand } from './command.js';

main(clientCommand);
