import { defineOptions } from '../config/option-spec.js';

/** Live metrics of the client and the publisher. */
export const metricsSpecs = defineOptions([
  {
    name: 'metricsListen',
    key: 'MetricsListen',
    flag: 'metrics-listen',
    type: 'string',
    arg: 'HOST:PORT',
    group: 'output',
    description:
      'serve live metrics in Prometheus text format at http://HOST:PORT/metrics (":9464" is 127.0.0.1:9464; asks for --token when one is set); unset: none',
  },
  {
    name: 'metricsPush',
    key: 'MetricsPush',
    flag: 'metrics-push',
    type: 'string',
    arg: 'URL',
    group: 'output',
    description:
      'push the same metrics to a Prometheus Pushgateway at every interval and at the end (http://HOST:9091: group job=TOOL, instance=N; or a full .../metrics/job/NAME URL); a failed push is a warning, the run goes on',
  },
]);
