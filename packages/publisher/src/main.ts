import { main } from '@mdbench/core/internal';
import { publisherCommand } from './command.js';

main(publisherCommand);
