// The vs-ws bench's ws server: a WebSocketServer (no compression, as mdbench-server's default)
// that accepts and holds connections, in a process of its own with mdbench-server's V8 semi-space.
// Prints "listening PORT".
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('listening', () => console.log(`listening ${wss.address().port}`));
wss.on('connection', (ws) => ws.on('error', () => {}));
process.on('SIGINT', () => process.exit(0));
