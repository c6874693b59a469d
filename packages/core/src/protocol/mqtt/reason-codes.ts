/** Why an MQTT 3.1.1 broker refused a CONNECT (CONNACK return code). */
const CONNACK_V4: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

/** MQTT 5 reason codes of 0x80 and above (failures), as the specification names them. */
const REASON_V5: Record<number, string> = {
  0x80: 'unspecified error',
  0x81: 'malformed packet',
  0x82: 'protocol error',
  0x83: 'implementation specific error',
  0x84: 'unsupported protocol version',
  0x85: 'client identifier not valid',
  0x86: 'bad user name or password',
  0x87: 'not authorized',
  0x88: 'server unavailable',
  0x89: 'server busy',
  0x8a: 'banned',
  0x8c: 'bad authentication method',
  0x8f: 'topic filter invalid',
  0x90: 'topic name invalid',
  0x91: 'packet identifier in use',
  0x95: 'packet too large',
  0x97: 'quota exceeded',
  0x99: 'payload format invalid',
  0x9a: 'retain not supported',
  0x9b: 'QoS not supported',
  0x9c: 'use another server',
  0x9d: 'server moved',
  0x9e: 'shared subscriptions not supported',
  0x9f: 'connection rate exceeded',
  0xa1: 'subscription identifiers not supported',
  0xa2: 'wildcard subscriptions not supported',
};

const hex = (code: number) => `0x${code.toString(16).padStart(2, '0')}`;

/** `CONNACK 5 not authorized` (3.1.1) or `CONNACK 0x87 not authorized` (5.0). */
export function connackCause(code: number, version: number): string {
  if (version === 5) return `CONNACK ${hex(code)} ${REASON_V5[code] ?? 'refused'}`;
  return `CONNACK ${code} ${CONNACK_V4[code] ?? 'refused'}`;
}

/** `SUBACK 0x80 failure` (3.1.1) or `SUBACK 0x87 not authorized` (5.0). */
export function subackCause(code: number, version: number): string {
  if (version === 5) return `SUBACK ${hex(code)} ${REASON_V5[code] ?? 'refused'}`;
  return `SUBACK ${hex(code)} failure`;
}

/** `PUBACK 0x87 not authorized` (5.0 only: 3.1.1 PUBACKs carry no reason). */
export function pubackCause(code: number): string {
  return `PUBACK ${hex(code)} ${REASON_V5[code] ?? 'refused'}`;
}
