import { defineOptions } from '../config/option-spec.js';

/** TLS of the client's and the publisher's wss:// connections. */
export const tlsClientSpecs = defineOptions([
  { name: 'tlsCa', key: 'TLS.CA', flag: 'tls-ca', type: 'string', arg: 'FILE', group: 'tls', description: 'PEM bundle of certificate authorities trusted for wss:// servers, in addition to the system\'s' },
  { name: 'tlsInsecure', key: 'TLS.Insecure', flag: 'tls-insecure', type: 'bool', default: false, group: 'tls', description: 'do not verify wss:// servers\' certificates (anyone in the path can read and change the traffic); the plan line says so' },
  { name: 'tlsServername', key: 'TLS.ServerName', flag: 'tls-servername', type: 'string', arg: 'NAME', group: 'tls', description: 'name sent as SNI and verified in the server\'s certificate (default: the host of each address)' },
  { name: 'tlsCert', key: 'TLS.Cert', flag: 'tls-cert', type: 'string', arg: 'FILE', group: 'tls', description: 'client certificate (PEM) for servers that demand one (mutual TLS); with --tls-key' },
  { name: 'tlsKey', key: 'TLS.Key', flag: 'tls-key', type: 'string', arg: 'FILE', group: 'tls', description: 'private key (PEM) of --tls-cert' },
  { name: 'tlsMinVersion', key: 'TLS.MinVersion', flag: 'tls-min-version', type: 'enum', choices: ['TLSv1.2', 'TLSv1.3'], default: 'TLSv1.2', group: 'tls', description: 'oldest TLS version accepted' },
  { name: 'tlsMaxVersion', key: 'TLS.MaxVersion', flag: 'tls-max-version', type: 'enum', choices: ['TLSv1.2', 'TLSv1.3'], default: 'TLSv1.3', group: 'tls', description: 'newest TLS version offered (TLSv1.2 measures session-id resumption, which skips the key exchange that TLS 1.3 resumption still does)' },
  { name: 'tlsCiphers', key: 'TLS.Ciphers', flag: 'tls-ciphers', type: 'string', arg: 'LIST', group: 'tls', description: 'OpenSSL cipher list (default: Node\'s)' },
  { name: 'tlsResume', key: 'TLS.Resume', flag: 'tls-resume', type: 'bool', default: true, group: 'tls', description: 'resume the TLS session on reconnect (TLS 1.3 tickets, 1.2 session ids); false measures full handshakes only' },
]);

/** TLS of mdbench-server's listener. */
export const tlsServerSpecs = defineOptions([
  { name: 'tlsCert', key: 'TLS.Cert', flag: 'tls-cert', type: 'string', arg: 'FILE', group: 'tls', description: 'serve wss:// with this certificate chain (PEM); with --tls-key' },
  { name: 'tlsKey', key: 'TLS.Key', flag: 'tls-key', type: 'string', arg: 'FILE', group: 'tls', description: 'private key (PEM) of --tls-cert' },
  { name: 'tlsCa', key: 'TLS.CA', flag: 'tls-ca', type: 'string', arg: 'FILE', group: 'tls', description: 'demand a client certificate signed by one of these authorities (PEM bundle): mutual TLS' },
  { name: 'tlsTicketKeys', key: 'TLS.TicketKeys', flag: 'tls-ticket-keys', type: 'string', arg: 'FILE', group: 'tls', description: 'session-ticket keys (a file of 48 random bytes, like nginx\'s ssl_session_ticket_key): clients resume their sessions across restarts and across servers sharing the file (default: new keys at each start)' },
]);
