/**
 * The API's tracing, started as the first import of scripts/api.ts: OpenTelemetry's HTTP instrumentation patches
 * node:http when it is loaded, so it must run before Express is (infra/tracing.ts).
 */
import { startTracing } from '../infra/tracing';

export const tracing = startTracing('community-cases-api');
