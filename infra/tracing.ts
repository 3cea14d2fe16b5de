import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';

/**
 * OpenTelemetry tracing, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set: a request's span (Node's HTTP server,
 * instrumented), Temporal's client call inside it, the workflow and its activities on the worker (Temporal's
 * OpenTelemetry plugin carries the context in the workflow's headers), exported over OTLP/HTTP. The exporter reads
 * the standard OTEL_EXPORTER_OTLP_* variables itself (endpoint, headers, timeout).
 */
export interface Tracing {
  /** Temporal's OpenTelemetry plugin, for the API's Client and the worker's Worker. */
  plugin: OpenTelemetryPlugin;
  /** Sends the spans still buffered and stops (before the process exits). */
  shutdown: () => Promise<void>;
}

let started: Tracing | undefined;

/**
 * Starts tracing for this process once (undefined when OTEL_EXPORTER_OTLP_ENDPOINT is unset). Call it before Express
 * or any other user of node:http is loaded: the HTTP instrumentation patches the module as it is loaded.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) return undefined;
  if (started) return started;
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME?.trim() || serviceName });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 1000 });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // Registers the AsyncLocalStorage context manager and W3C trace-context propagation globally.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    // Only the server side: outgoing calls (the OIDC key set, the records office) are not part of a case's trace.
    instrumentations: [new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true })],
  });
  started = {
    plugin: new OpenTelemetryPlugin({ resource, spanProcessor }),
    shutdown: () => provider.shutdown(),
  };
  return started;
}
