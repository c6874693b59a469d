import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Service } from 'kubernetes-models/v1/Service';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { AddressPlan, compilePatternList, parsePortRange, resolveConfig, type OptionSpec } from '@mdbench/core/internal';
import { clientSpecs } from '@mdbench/client';
import { publisherSpecs } from '@mdbench/publisher';
import { serverSpecs } from '@mdbench/server';

const dir = new URL('../examples/kubernetes/', import.meta.url).pathname;
const load = (f: string) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS());
const MODELS: Record<string, new (o: any) => { validate(): void }> = { Deployment, Job, Service, PersistentVolumeClaim };

test('every manifest passes the Kubernetes schema (offline, kubernetes-models)', () => {
  for (const f of ['server.yaml', 'clients.yaml', 'publishers.yaml', 'logs.yaml']) {
    for (const doc of load(f)) {
      const Model = MODELS[doc.kind];
      assert.ok(Model, `${f}: no schema for kind ${doc.kind}`);
      assert.doesNotThrow(() => new Model(doc).validate(), `${f}: ${doc.kind} ${doc.metadata?.name}`);
    }
  }
  // The check has teeth: a manifest with a wrong type fails it.
  const [job] = load('clients.yaml');
  job.spec.completions = 'two hundred';
  assert.throws(() => new Job(job).validate(), /completions must be integer/);
});

/** `--key=value` / `--flag` args as the flag values the option table resolves. */
function flagsOf(args: string[], specs: OptionSpec[]): Record<string, string | boolean> {
  const byFlag = new Map(specs.filter((s) => s.flag).map((s) => [s.flag as string, s]));
  const out: Record<string, string | boolean> = {};
  for (const a of args) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    assert.ok(m, `argument ${a}`);
    const spec = byFlag.get(m[1]);
    assert.ok(spec, `unknown flag --${m[1]}`);
    out[spec.name] = m[2] === undefined ? true : m[2];
  }
  return out;
}

function container(doc: any) {
  return doc.spec.template.spec.containers[0];
}

test('the Indexed Jobs: the completion index reaches the tools, completions match --instances, every flag is valid', () => {
  for (const [f, specs, bin] of [
    ['clients.yaml', clientSpecs, 'mdbench-client'],
    ['publishers.yaml', publisherSpecs, 'mdbench-publisher'],
  ] as const) {
    const [job] = load(f);
    assert.equal(job.spec.completionMode, 'Indexed');
    const c = container(job);
    assert.deepEqual(c.command, [bin]);
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e]));
    assert.equal(env.JOB_COMPLETION_INDEX.valueFrom.fieldRef.fieldPath, "metadata.annotations['batch.kubernetes.io/job-completion-index']");
    const values = resolveConfig({
      specs,
      flags: flagsOf(
        c.args.map((a: string) => a.replace('$(JOB_COMPLETION_INDEX)', '0')),
        [...specs],
      ),
    }).values;
    assert.equal(values.instances, job.spec.completions, `${f}: --instances`);
    assert.equal(job.spec.parallelism, job.spec.completions, `${f}: all instances run at once`);
    assert.equal(values.serverAddresses, 'mdbench-server:8800');
    // Each pod writes its own log, named by its index (as written, and resolved for pod 0).
    assert.ok(
      c.args.some((a: string) => a.startsWith('--json=') && a.includes('$(JOB_COMPLETION_INDEX)')),
      `${f}: --json names the index`,
    );
    assert.match(String(values.json), /-0\.jsonl$/);
  }
});

test("the client plan fits one pod IP, and the fleet covers the article's 12 M subjects", () => {
  const [job] = load('clients.yaml');
  const c = container(job);
  const values = resolveConfig({
    specs: clientSpecs,
    flags: flagsOf(
      c.args.map((a: string) => a.replace('$(JOB_COMPLETION_INDEX)', '0')),
      clientSpecs,
    ),
  }).values;
  const plan = new AddressPlan({ localAddresses: ['10.0.0.1'], ports: parsePortRange('1024-65535'), clients: values.clients as number, excludePorts: [8800] });
  assert.ok(plan.fits, plan.describe());
  assert.equal((values.clients as number) * (values.instances as number), compilePatternList(values.subjects as string).count);
  const sysctls = job.spec.template.spec.securityContext.sysctls;
  assert.deepEqual(sysctls, [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }]);
  assert.equal(c.env.find((e: any) => e.name === 'MDBENCH_LOCAL_ADDRESSES').valueFrom.fieldRef.fieldPath, 'status.podIP');
});

test('the server Deployment and Service agree on the ports, and its flags are valid', () => {
  const [dep, svc] = load('server.yaml');
  const c = container(dep);
  const values = resolveConfig({
    specs: serverSpecs,
    flags: flagsOf(
      c.args.flatMap((a: string, i: number, all: string[]) =>
        a.startsWith('--') && !a.includes('=') && all[i + 1] && !all[i + 1].startsWith('--') ? [`${a}=${all[i + 1]}`] : a.startsWith('--') ? [a] : [],
      ),
      serverSpecs,
    ),
  }).values;
  assert.equal(values.listen, '0.0.0.0:8800');
  const ports = Object.fromEntries(svc.spec.ports.map((p: any) => [p.name, p.targetPort]));
  assert.equal(ports.ws, 8800);
  assert.equal(ports.monitor, Number(String(values.monitorListen).split(':')[1]));
  assert.deepEqual(svc.spec.selector, dep.spec.template.metadata.labels);
});
