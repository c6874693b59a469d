#!/usr/bin/env node
// The article's topology in miniature, inside this machine: network namespaces as boxes on one
// bridge, each with its own addresses and its own sshd, so that examples/ssh/run-fleet.sh drives a
// fleet over real ssh into separate network stacks.
//
//   node tools/dev/boxes.mjs up   [--dir DIR] [--clients 10] [--publishers 4]
//   node tools/dev/boxes.mjs down [--dir DIR]
//
// up makes: a bridge mdb-br0 (10.77.255.254/16 on this machine's side), a server box mdb-srv
// (10.77.0.1), publisher boxes mdb-pubK (10.77.0.2K) and client boxes mdb-cliK (10.77.0.(100+K),
// with the aliases 10.77.1.K and 10.77.2.K its client binds); keys made now in DIR (an ed25519
// client key, one host key), sshd in every box listening on its address, an ssh_config for them,
// and DIR/clients.txt, DIR/publishers.txt in run-fleet.sh's format (host, then that host's flags).
// It waits for every sshd by logging in. Needs root, iproute2 and openssh-server (.ci/run installs it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arg, sleep } from '../harness/processes.mjs';

const dir = arg('dir', '/tmp/mdbench-boxes');
const BRIDGE = 'mdb-br0';
const SSHD = '/usr/sbin/sshd';

function sh(cmd, args, { check = true } = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (check && r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${(r.stderr || r.stdout || `exit ${r.status}`).trim()}`);
  return r;
}

/** Every box of a topology: its namespace, its address, its aliases. */
function boxesOf(clients, publishers) {
  const boxes = [{ name: 'mdb-srv', role: 'server', ip: '10.77.0.1', aliases: [] }];
  for (let k = 1; k <= publishers; k++) boxes.push({ name: `mdb-pub${k}`, role: 'publisher', ip: `10.77.0.${20 + k}`, aliases: [] });
  for (let k = 1; k <= clients; k++) boxes.push({ name: `mdb-cli${k}`, role: 'client', ip: `10.77.0.${100 + k}`, aliases: [`10.77.1.${k}`, `10.77.2.${k}`] });
  return boxes;
}

function sshdConfig(box) {
  return [
    `ListenAddress ${box.ip}`,
    `HostKey ${join(dir, 'host_ed25519')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    `PidFile ${join(dir, `${box.name}.pid`)}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'Subsystem sftp internal-sftp',
    // The fleet's environment (MDBENCH_*) reaches the tools; nothing else is passed.
    'AcceptEnv MDBENCH_*',
    '',
  ].join('\n');
}

async function up() {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: apt-get install -y openssh-server (.ci/run installs it)`);
  const clients = Number(arg('clients', '10'));
  const publishers = Number(arg('publishers', '4'));
  down(true);
  mkdirSync(dir, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true });
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id'), '-C', 'mdbench-boxes']);
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_ed25519'), '-C', 'mdbench-box']);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id.pub')));
  sh('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
  sh('ip', ['addr', 'add', '10.77.255.254/16', 'dev', BRIDGE]);
  sh('ip', ['link', 'set', BRIDGE, 'up']);
  const boxes = boxesOf(clients, publishers);
  for (const box of boxes) {
    const ns = ['netns', 'exec', box.name];
    sh('ip', ['netns', 'add', box.name]);
    sh('ip', ['link', 'add', `v-${box.name}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', box.name]);
    sh('ip', ['link', 'set', `v-${box.name}`, 'master', BRIDGE, 'up']);
    sh('ip', [...ns, 'ip', 'link', 'set', 'lo', 'up']);
    for (const a of [box.ip, ...box.aliases]) sh('ip', [...ns, 'ip', 'addr', 'add', `${a}/16`, 'dev', 'eth0']);
    sh('ip', [...ns, 'ip', 'link', 'set', 'eth0', 'up']);
    writeFileSync(join(dir, `${box.name}.sshd_config`), sshdConfig(box));
    sh('ip', [...ns, SSHD, '-f', join(dir, `${box.name}.sshd_config`)]);
  }
  writeFileSync(
    join(dir, 'ssh_config'),
    `Host 10.77.*\n  User root\n  IdentityFile ${join(dir, 'id')}\n  IdentitiesOnly yes\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n  BatchMode yes\n  ConnectTimeout 5\n  SendEnv MDBENCH_*\n`,
  );
  const hosts = (role, flags) =>
    boxes
      .filter((b) => b.role === role)
      .map((b) => `root@${b.ip}${flags(b)}`)
      .join('\n');
  writeFileSync(join(dir, 'clients.txt'), `${hosts('client', (b) => ` --local-addresses ${b.aliases.join(',')}`)}\n`);
  writeFileSync(join(dir, 'publishers.txt'), `${hosts('publisher', () => '')}\n`);
  writeFileSync(join(dir, 'boxes.json'), JSON.stringify(boxes));
  // Every box answers a login before this returns (asked, not waited for).
  for (const box of boxes) {
    for (let tries = 0; ; tries++) {
      const r = sh('ssh', ['-F', join(dir, 'ssh_config'), `root@${box.ip}`, 'true'], { check: false });
      if (r.status === 0) break;
      if (tries > 100) throw new Error(`no ssh login to ${box.name} (${box.ip}): ${r.stderr.trim()}`);
      await sleep(100);
    }
  }
  console.log(`boxes: ${boxes.length} up (server 10.77.0.1, ${publishers} publisher, ${clients} client boxes); ssh config ${join(dir, 'ssh_config')}`);
}

/** Removes what `up` made (sshd, namespaces, bridge); `quiet`: nothing to say when there was none. */
function down(quiet = false) {
  let boxes = [];
  try {
    boxes = JSON.parse(readFileSync(join(dir, 'boxes.json'), 'utf8'));
  } catch {
    const listed = sh('ip', ['netns', 'list'], { check: false }).stdout;
    boxes = [...listed.matchAll(/^(mdb-\S+)/gm)].map((m) => ({ name: m[1] }));
  }
  for (const box of boxes) {
    try {
      process.kill(Number(readFileSync(join(dir, `${box.name}.pid`), 'utf8')), 'SIGTERM');
    } catch {
      /* not running */
    }
    // What still runs in the box goes with it.
    const pids = sh('ip', ['netns', 'pids', box.name], { check: false }).stdout.split(/\s+/).filter(Boolean);
    for (const p of pids) {
      try {
        process.kill(Number(p), 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    sh('ip', ['netns', 'del', box.name], { check: false });
  }
  sh('ip', ['link', 'del', BRIDGE], { check: false });
  rmSync(dir, { recursive: true, force: true });
  if (!quiet) console.log(`boxes: ${boxes.length} removed`);
}

const cmd = process.argv[2];
if (cmd === 'up') await up();
else if (cmd === 'down') down();
else {
  console.error('usage: node tools/dev/boxes.mjs up|down [--dir DIR] [--clients 10] [--publishers 4]');
  process.exit(2);
}
