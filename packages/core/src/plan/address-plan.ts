import type { PortRange } from '../config/option-spec.js';
import { MdbenchError, ExitCode } from '../errors.js';

export interface AddressPlanInput {
  /** Local addresses to bind, already expanded; empty means the kernel chooses address and port. */
  localAddresses: readonly string[];
  /** Local ports to use on every address, in order. */
  ports: PortRange;
  /** Ports inside the range never to bind (the server's own listening ports). */
  excludePorts?: readonly number[];
  /** Connections to place. */
  clients: number;
}

/**
 * Where each connection binds: connection `i` uses address `i mod A` and that address's
 * `floor(i / A)`-th port of the range, so every address uses explicit, successive ports (as the
 * article did from port 500 up) and every slice of connections spreads over all addresses.
 */
export class AddressPlan {
  readonly addresses: readonly string[];
  readonly ports: PortRange;
  readonly clients: number;
  /** Usable ports per address (range less exclusions). */
  readonly portsPerAddress: number;
  /** Connections the plan can place: addresses x ports (Infinity when the kernel chooses). */
  readonly capacity: number;
  private readonly excluded: number[];

  constructor(input: AddressPlanInput) {
    this.addresses = input.localAddresses;
    this.ports = input.ports;
    this.clients = input.clients;
    this.excluded = [...new Set(input.excludePorts ?? [])].filter((p) => p >= input.ports.from && p <= input.ports.to).sort((a, b) => a - b);
    this.portsPerAddress = input.ports.to - input.ports.from + 1 - this.excluded.length;
    this.capacity = this.explicit ? this.addresses.length * this.portsPerAddress : Infinity;
  }

  /** True when connections bind explicit addresses and ports. */
  get explicit(): boolean {
    return this.addresses.length > 0;
  }

  get fits(): boolean {
    return this.clients <= this.capacity;
  }

  /** Local address of connection `i`, or undefined when the kernel chooses. */
  addressOf(i: number): string | undefined {
    return this.explicit ? this.addresses[i % this.addresses.length] : undefined;
  }

  /** Local port of connection `i`, or 0 when the kernel chooses. */
  portOf(i: number): number {
    if (!this.explicit) return 0;
    let port = this.ports.from + Math.floor(i / this.addresses.length);
    for (const ex of this.excluded) if (ex <= port) port++;
    return port;
  }

  /** One line describing the plan, for the start of a run. */
  describe(): string {
    if (!this.explicit) return `${this.clients} connections, local address and port chosen by the kernel`;
    const used = Math.ceil(this.clients / this.addresses.length);
    const last = this.clients > 0 ? this.portOf(Math.min(this.clients, this.addresses.length * used) - 1) : this.ports.from;
    return (
      `${this.clients} connections over ${this.addresses.length} local address(es) ` +
      `${this.addresses[0]}${this.addresses.length > 1 ? `..${this.addresses[this.addresses.length - 1]}` : ''}, ` +
      `ports ${this.ports.from}-${last} (capacity ${this.capacity})`
    );
  }

  /** Throws a one-line error with a fix when addresses x ports cannot cover the clients. */
  assertFits(): void {
    if (this.fits) return;
    const perAddr = this.portsPerAddress;
    const needAddrs = Math.ceil(this.clients / perAddr);
    throw new MdbenchError(
      'MDB_PLAN_SHORT',
      `${this.addresses.length} local address(es) x ${perAddr} ports cover ${this.capacity} connections, ` +
        `but Clients is ${this.clients}: use at least ${needAddrs} addresses in LocalAddresses or widen LocalPorts`,
      { exitCode: ExitCode.CONFIG },
    );
  }
}
