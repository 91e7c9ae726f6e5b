// The server side of a WebSocket (RFC 6455), as much as the relay's socket needs: the handshake,
// a browser's masked frames in (text, binary, ping, close; fragments joined), unmasked frames
// out. No extensions, no subprotocols. A frame or message past the limit closes the socket.
import { createHash } from 'node:crypto';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = Object.freeze({ continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 });

/**
 * @typedef {object} Socket
 * @property {(data: string | Buffer) => void} send  text for a string, binary for a Buffer
 * @property {(code?: number) => void} close
 * @property {boolean} open
 */

/**
 * Answers the upgrade and returns the socket; `onMessage` gets each whole message (a string for
 * text, a Buffer for binary), `onClose` once when it ends either way.
 * @param {import('node:http').IncomingMessage} req @param {import('node:stream').Duplex} raw @param {Buffer} head
 * @param {{ onMessage: (data: string | Buffer) => void, onClose: () => void, maxBytes: number }} handlers
 * @returns {Socket}
 */
export function accept(req, raw, head, { onMessage, onClose, maxBytes }) {
  const key = String(req.headers['sec-websocket-key'] ?? '');
  const accepted = createHash('sha1').update(key + GUID).digest('base64');
  raw.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accepted}\r\n\r\n`);
  /** @type {import('node:net').Socket} */ (/** @type {any} */ (raw)).setNoDelay?.(true);
  /** @type {Buffer} */
  let buffered = head.length ? Buffer.from(head) : Buffer.alloc(0);
  /** @type {Buffer[]} */
  let fragments = [];
  let fragmentOp = 0;
  let closed = false;
  const socket = {
    get open() {
      return !closed;
    },
    /** @param {string | Buffer} data */
    send(data) {
      if (closed) return;
      const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      raw.write(frame(typeof data === 'string' ? OP.text : OP.binary, payload));
    },
    close(code = 1000) {
      if (closed) return;
      const body = Buffer.alloc(2);
      body.writeUInt16BE(code);
      raw.end(frame(OP.close, body));
      finish();
    },
  };
  const finish = () => {
    if (closed) return;
    closed = true;
    onClose();
  };
  raw.on('close', finish);
  raw.on('error', () => raw.destroy());
  const read = () => {
    for (;;) {
      if (buffered.length < 2) return;
      const fin = (buffered[0] & 0x80) !== 0;
      const op = buffered[0] & 0x0f;
      const masked = (buffered[1] & 0x80) !== 0;
      let length = buffered[1] & 0x7f;
      let at = 2;
      if (length === 126) {
        if (buffered.length < 4) return;
        length = buffered.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (buffered.length < 10) return;
        length = Number(buffered.readBigUInt64BE(2));
        at = 10;
      }
      // A browser always masks; anything else, or too much, isn't a page of ours.
      if (!masked || length > maxBytes) return socket.close(1009);
      if (buffered.length < at + 4 + length) return;
      const mask = buffered.subarray(at, at + 4);
      const payload = Buffer.from(buffered.subarray(at + 4, at + 4 + length));
      for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
      buffered = buffered.subarray(at + 4 + length);
      if (op === OP.close) return socket.close();
      if (op === OP.ping) {
        raw.write(frame(OP.pong, payload));
        continue;
      }
      if (op === OP.pong) continue;
      if (op !== OP.continuation) fragmentOp = op;
      fragments.push(payload);
      if (fragments.reduce((n, f) => n + f.length, 0) > maxBytes) return socket.close(1009);
      if (!fin) continue;
      const whole = Buffer.concat(fragments);
      fragments = [];
      onMessage(fragmentOp === OP.text ? whole.toString('utf8') : whole);
      if (closed) return;
    }
  };
  raw.on('data', (/** @type {Buffer} */ chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    read();
  });
  if (buffered.length) queueMicrotask(read);
  return socket;
}

/** One unmasked, final frame. @param {number} op @param {Buffer} payload */
function frame(op, payload) {
  const n = payload.length;
  const head = n < 126 ? Buffer.alloc(2) : n < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x80 | op;
  if (n < 126) head[1] = n;
  else if (n < 65_536) {
    head[1] = 126;
    head.writeUInt16BE(n, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, payload]);
}
