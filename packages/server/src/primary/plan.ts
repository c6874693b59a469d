import os from 'node:os';
import {
  BASE_FDS,
  Problems,
  openFileHardLimit,
  parseListenAddress,
  preflight,
  tlsFilesOf,
  type HostPlan,
  type HostView,
  type ResolvedConfig,
} from '@mdbench/core/internal';
import type { ServerConfig } from '../options.js';

/** Sockets one worker may hold: its open-file limit less what Node itself needs. */
function socketsPerWorker(nofileHard: number | undefined): number {
  return Math.max(1, (nofileHard ?? 1_048_576) - BASE_FDS - 256);
}

/**
 * Worker count: one per core, raised so that each worker stays under the open-file limit. With a
 * shared accept socket the kernel deals unevenly, but a full worker stops accepting (AcceptThrottle)
 * and the others take the rest, so only 15% is kept spare, for reconnection churn. Every worker is a
 * whole Node process (about 50 MB before its first socket), so spare workers are not free: at
 * 1,000,000 connections 30% spare cost 13 more workers, 0.7 GB.
 */
export function chooseServerWorkers(explicit: number | undefined, expect: number, nofileHard: number | undefined, shared: boolean): number {
  if (explicit) return explicit;
  const usable = socketsPerWorker(nofileHard) * (shared ? 0.85 : 1);
  return Math.max(os.availableParallelism(), Math.ceil(expect / usable));
}

export interface ServerPlan {
  listen: { host: string; port: number };
  monitor?: { host: string; port: number };
  workers: number;
  maxSocketsPerWorker: number;
  /** Pre-flight warnings, each with its fix. */
  warnings: string[];
}

/** Checks the server's settings (every problem at once, located) and the host (exit 3 with the fix). */
export function buildServerPlan(cfg: ServerConfig, resolved: Pick<ResolvedConfig, 'origins'>, host: HostView): ServerPlan {
  const p = new Problems(resolved);
  const listen = parseListenAddress(cfg.listen, '0.0.0.0');
  if (!listen) p.add('listen', `"${cfg.listen}" is not HOST:PORT`);
  const monitor = cfg.monitor === 'none' ? undefined : parseListenAddress(cfg.monitorListen);
  if (cfg.monitor !== 'none' && !monitor) p.add('monitorListen', `"${cfg.monitorListen}" is not HOST:PORT`);
  if (cfg.pubSubTightlyCoupled) p.add('pubSubTightlyCoupled', 'true is not supported: the reference server does not notify publishers of subscriptions');
  if (!cfg.benchmarkMode)
    p.add('benchmarkMode', 'false is not supported: the reference server always spreads connections over its workers, whatever their address');
  p.throwIfAny();

  const shared = cfg.scheduling === 'shared';
  const nofileHard = openFileHardLimit(host);
  const workers = chooseServerWorkers(cfg.workers, cfg.expectConnections, nofileHard, shared);
  const warnings = preflight(host, serverHostPlan(cfg, workers));
  const fit = socketsPerWorker(nofileHard);
  if (cfg.maxSocketsPerWorker !== undefined && cfg.maxSocketsPerWorker > fit) {
    warnings.push(
      `MaxSocketsPerWorker ${cfg.maxSocketsPerWorker} is more than the open-file limit leaves a worker (${fit}): a worker out of descriptors pauses accepting (EMFILE) and tries again`,
    );
  }
  return {
    listen: listen as { host: string; port: number },
    monitor,
    workers,
    maxSocketsPerWorker: cfg.maxSocketsPerWorker ?? fit,
    warnings,
  };
}

/** What this run asks of the host, for the pre-flight and mdbench-doctor. */
export function serverHostPlan(cfg: ServerConfig, workers: number): HostPlan {
  const listenHost = String(cfg.listen)
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '');
  const names = ['0.0.0.0', '::', ''].includes(listenHost) ? [] : [listenHost];
  // A worker that fills up pauses accepting (AcceptThrottle), so the even share is what each must hold.
  const perProcess = Math.ceil(cfg.expectConnections / workers);
  return {
    role: 'server',
    sockets: cfg.expectConnections,
    socketsPerProcess: perProcess,
    processes: workers,
    localAddresses: [],
    serverHost: listenHost || '127.0.0.1',
    iface: cfg.iface,
    tls: tlsFilesOf(cfg, names),
  };
}
