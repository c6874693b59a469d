import { main } from '@mdbench/core';
import { serverCommand } from './command.js';

main(serverCommand);
