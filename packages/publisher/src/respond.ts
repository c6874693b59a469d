import {
  StopController,
  formatFixed,
  formatInt,
  newStamp,
  reportEvery,
  runOutcome,
  stoppedText,
  toArray,
  withScope,
  type CommandContext,
} from '@mdbench/core/internal';
import type { PublisherConnection } from './publisher-connection.js';
import { type LinkHealth, openLinks } from './open-links.js';
import type { PublisherConfig } from './options.js';
import { preparePublisher } from './prepare.js';

/**
 * mdbench-publisher --respond: the responder for brokers that answer no request themselves. Its
 * connections subscribe to the instance's subjects as one group (each request reaches one of
 * them) and answer every request at once with its own payload, published to the request's reply
 * address; every interval says how many it answered.
 */
export async function runResponder(ctx: CommandContext<PublisherConfig>, version: string): Promise<number> {
  return withScope(
    (m) => ctx.log.error(m),
    async (scope) => {
      const cfg = ctx.config;
      const s = await preparePublisher(ctx, version, scope);
      const protocol = s.protocol;
      const topics = toArray(s.plan.subjects).map(protocol.topic);
      const stamp = newStamp();
      let answered = 0;
      let skipped = 0;
      const answer = (c: PublisherConnection, replyTo: string, payload: Buffer): void => {
        // A connection that does not read its replies is not answered past a MiB unsent (counted).
        if ((c.socket?.writableLength ?? 0) > 1024 * 1024) {
          skipped++;
          return;
        }
        const out = Buffer.allocUnsafe(protocol.publishBytes(replyTo, payload.length));
        protocol.writePublish(out, 0, c, replyTo, payload, stamp);
        c.send(out);
        answered++;
      };
      const health: LinkHealth = { lost: 0, reconnects: 0, downMs: 0 };
      scope.hold('connections', await openLinks(ctx, s, health, { topics, onRequest: answer }), (l) => l.close());
      ctx.log.info(
        'Responding',
        `to requests on ${formatInt(topics.length)} subjects over ${cfg.connections} ${protocol.name} connection(s), each answered with its payload`,
      );
      const stopper = scope.hold('signal handlers', new StopController(ctx.io, cfg.duration), (st) => st.dispose());
      let last = 0;
      const startMs = ctx.io.clock.monotonicMs();
      let lastMs = startMs;
      const loop = scope.hold(
        'reporting',
        reportEvery(ctx, stopper, [], () => {
          const now = ctx.io.clock.monotonicMs();
          ctx.log.info('Answered', `${formatFixed(((answered - last) * 1000) / Math.max(1, now - lastMs), 2)} requests/sec, ${formatInt(answered)} in all`);
          last = answered;
          lastMs = now;
          return undefined;
        }),
        (l) => l.stop(),
      );
      const reason = await stopper.promise;
      await loop.stop();
      ctx.log.info('Stopped', stoppedText(reason, `${formatInt(answered)} requests answered`));
      const seconds = (ctx.io.clock.monotonicMs() - startMs) / 1000;
      ctx.log.info(
        'Summary',
        `${formatInt(answered)} requests answered in ${formatFixed(seconds, 1)} s (${formatFixed(answered / Math.max(seconds, 0.001), 2)}/s)${skipped > 0 ? `, ${formatInt(skipped)} not answered (the connection backlogged)` : ''}`,
      );
      await scope.close();
      const problems = [
        ...(health.lost > 0 ? [`${formatInt(health.lost)} connection losses`] : []),
        ...(skipped > 0 ? [`${formatInt(skipped)} requests not answered`] : []),
      ];
      return runOutcome(ctx.log, { problems, verdicts: [], files: s.out.files, okText: 'ok' });
    },
  );
}
