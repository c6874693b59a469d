import { main } from '@mdbench/core';
import { publisherCommand } from './command.js';

main(publisherCommand);
