import { listeningSockets, openFileHardLimit, type HostPlan, type HostView, type OptionSpec, type ResolvedConfig } from '@mdbench/core/internal';
import { buildClientPlan, chooseClientWorkers, clientHostPlan, clientSpecs, type ClientConfig } from '@mdbench/client';
import { publisherHostPlan, publisherSpecs, type PublisherConfig } from '@mdbench/publisher';
import { chooseServerWorkers, serverHostPlan, serverSpecs, type ServerConfig } from '@mdbench/server';

export type Role = HostPlan['role'];

/** Each role's option table: the doctor takes the same options as the run it checks. */
export const ROLE_SPECS: Record<Role, readonly OptionSpec[]> = { client: clientSpecs, publisher: publisherSpecs, server: serverSpecs };

/** What a run with configuration `config` will ask of the host, planned by the tool's own code. */
export function planOf(
  role: Role,
  config: object,
  resolved: Pick<ResolvedConfig, 'origins'>,
  host: HostView,
  env: Record<string, string | undefined>,
): HostPlan {
  const nofileHard = openFileHardLimit(host);
  if (role === 'server') {
    const c = config as ServerConfig;
    return serverHostPlan(c, chooseServerWorkers(c.workers, c.expectConnections, nofileHard, c.scheduling === 'shared'));
  }
  if (role === 'publisher') return publisherHostPlan(config as PublisherConfig);
  const c = config as ClientConfig;
  const plan = buildClientPlan(c, resolved, env, listeningSockets(host));
  return clientHostPlan(c, plan, chooseClientWorkers(c.workers, c.clients, nofileHard));
}
