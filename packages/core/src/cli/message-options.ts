import { defineOptions } from '../config/option-spec.js';

/**
 * The published message's size: one row for every tool that publishes (mdbench-publisher, and
 * mdbench-client whose connections publish with --publish-rate), so its key, flag and limits are written once.
 */
export const messageSizeSpecs = defineOptions([
  {
    name: 'messageSize',
    key: 'MessageSize',
    flag: 'message-size',
    type: 'int',
    min: 0,
    max: 16 * 1024 * 1024,
    default: 512,
    arg: 'BYTES',
    group: 'pacing',
    description: 'payload bytes per message: random characters, the stamp at their start for protocols other than native',
  },
]);
