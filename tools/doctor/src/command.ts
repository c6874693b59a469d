import { writeFileSync } from 'node:fs';
import { Chalk } from 'chalk';
import {
  ExitCode,
  MdbenchError,
  defineCommand,
  defineOptions,
  examine,
  packageVersion,
  runCli,
  sysctlFile,
  treeHost,
  type CliIo,
  type Finding,
  type HostPlan,
  type HostView,
  type OptionSpec,
} from '@mdbench/core/internal';
import { ROLE_SPECS, planOf, type Role } from './plan.js';

const version = packageVersion(import.meta.url);

/** The doctor's own options, beside the checked tool's. */
export const doctorSpecs = defineOptions([
  {
    name: 'writeSysctl',
    flag: 'write-sysctl',
    type: 'file',
    arg: 'FILE',
    group: 'doctor',
    description: 'write the settings that fix what was found as a sysctl.d file (nothing on the host changes without this file being applied)',
  },
  {
    name: 'hostRoot',
    flag: 'host-root',
    type: 'file',
    arg: 'DIR',
    group: 'doctor',
    description: 'read a host described in DIR (proc/, sys/, commands/, addresses) instead of this one',
  },
]);

const LEVEL_ORDER = { fail: 0, warn: 1, ok: 2 } as const;

/** The report: one line per item, its fix under it. */
function reportLines(findings: Finding[], color: boolean): string[] {
  const c = new Chalk({ level: color ? 1 : 0 });
  const paint = { ok: c.green, warn: c.yellow, fail: c.red };
  const width = Math.max(...findings.map((f) => f.item.length));
  const out: string[] = [];
  for (const f of findings) {
    out.push(`${paint[f.level](f.level.padEnd(4))}  ${f.item.padEnd(width)}  ${f.detail}`);
    if (f.fix && f.level !== 'ok') out.push(`${' '.repeat(6 + width)}  fix: ${f.fix}`);
  }
  return out;
}

/** mdbench-doctor for one role: that tool's options plus the doctor's. */
function doctorFor(role: Role) {
  const specs = [...ROLE_SPECS[role], ...doctorSpecs] as readonly OptionSpec[];
  return defineCommand({
    name: 'mdbench-doctor',
    version,
    description: `Checks this host against the plan of an mdbench-${role} run given with the same options (or -c FILE): open files, ports, addresses, TCP memory, backlogs, conntrack, NIC queues and IRQs, clock; each item ok, warn or fail with the command that fixes it.`,
    specs,
    example: 'mdbench-doctor client -c examples/article/client-1.conf --write-sysctl /etc/sysctl.d/90-mdbench.conf',
    exitCodes: [ExitCode.OK, ExitCode.CONFIG, ExitCode.PREFLIGHT, ExitCode.INTERNAL],
    async run(ctx) {
      const cfg = ctx.config as { hostRoot?: string; writeSysctl?: string };
      const host: HostView = cfg.hostRoot ? treeHost(cfg.hostRoot) : ctx.io.host;
      let plan: HostPlan;
      try {
        plan = planOf(role, cfg, ctx.resolved, host, ctx.io.env);
      } catch (err) {
        if (err instanceof MdbenchError) throw err;
        throw new MdbenchError('MDB_CONFIG_VALUE', (err as Error).message);
      }
      const findings = examine(host, plan, Math.floor(ctx.io.clock.nowUs() / 1000)).sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
      ctx.io.stdout.write(
        `mdbench-doctor: ${role} plan: ${plan.sockets.toLocaleString('en-US')} sockets over ${plan.processes} process(es), at most ${plan.socketsPerProcess.toLocaleString('en-US')} each\n`,
      );
      for (const line of reportLines(findings, ctx.fancy)) ctx.io.stdout.write(`${line}\n`);
      const fails = findings.filter((f) => f.level === 'fail').length;
      const warns = findings.filter((f) => f.level === 'warn').length;
      ctx.io.stdout.write(`mdbench-doctor: ${fails} fail, ${warns} warn, ${findings.length - fails - warns} ok\n`);
      if (cfg.writeSysctl) {
        writeFileSync(cfg.writeSysctl, sysctlFile(findings, `${role} plan of ${plan.sockets} sockets`));
        ctx.io.stdout.write(`mdbench-doctor: wrote ${cfg.writeSysctl} (apply with: sysctl -p ${cfg.writeSysctl})\n`);
      }
      return fails > 0 ? ExitCode.PREFLIGHT : ExitCode.OK;
    },
  });
}

/** `mdbench-doctor ROLE [options]`: the role first, then the options of that role's tool. */
export async function runDoctor(io: CliIo): Promise<number> {
  const [role, ...rest] = io.argv;
  if (role === '-h' || role === '--help' || role === undefined) {
    io.stdout.write(
      'Usage: mdbench-doctor client|publisher|server [the options of that tool] [--write-sysctl FILE] [--host-root DIR]\n' +
        'Checks this host against the plan of that run; `mdbench-doctor client --help` lists the options.\n',
    );
    return role === undefined ? ExitCode.CONFIG : ExitCode.OK;
  }
  if (role === '-V' || role === '--version') {
    io.stdout.write(`${version}\n`);
    return ExitCode.OK;
  }
  if (!(role in ROLE_SPECS)) {
    io.stderr.write(`mdbench-doctor: error: "${role}" is not a role: client, publisher or server\n`);
    return ExitCode.CONFIG;
  }
  return runCli(doctorFor(role as Role), { ...io, argv: rest });
}
