import { defineOptions } from '../config/option-spec.js';

/** permessage-deflate of the client's and the publisher's connections. */
export const compressionClientSpecs = defineOptions([
  {
    name: 'compression',
    key: 'Compression',
    flag: 'compression',
    type: 'enum',
    choices: ['none', 'deflate'],
    default: 'none',
    group: 'compression',
    description:
      'offer permessage-deflate (RFC 7692); every message is compressed and inflated on its own, so an idle connection holds no zlib state; the summary shows wire bytes against message bytes',
  },
  {
    name: 'deflateTakeover',
    key: 'Deflate.Takeover',
    flag: 'deflate-takeover',
    type: 'bool',
    default: false,
    group: 'compression',
    description:
      'let the server keep its compression context between messages, as browsers do (better ratio; the client then keeps up to 2^--deflate-window-bits bytes of history per connection)',
  },
  {
    name: 'deflateWindowBits',
    key: 'Deflate.WindowBits',
    flag: 'deflate-window-bits',
    type: 'int',
    min: 8,
    max: 15,
    default: 15,
    arg: 'BITS',
    group: 'compression',
    description: 'largest LZ77 window the server may use (server_max_window_bits; 15 asks for no limit): bounds the history kept with --deflate-takeover',
  },
]);

/** permessage-deflate on mdbench-server. */
export const compressionServerSpecs = defineOptions([
  {
    name: 'compression',
    key: 'Compression',
    flag: 'compression',
    type: 'enum',
    choices: ['none', 'deflate'],
    default: 'none',
    group: 'compression',
    description:
      'accept permessage-deflate offers: a message is compressed once for all its compressing subscribers (no context kept, server_no_context_takeover); none ignores offers',
  },
]);
