import { Metadata, status } from '@grpc/grpc-js';
import { ServiceError } from '@temporalio/client';
import { callErrorFromStatus } from '@grpc/grpc-js/build/src/call';
import { HttpProblem } from '../services/problem';
import { temporalProblem } from '../services/temporal';

/**
 * What a gRPC error from Temporal becomes for the client (services/temporal.ts), built as grpc-js builds it
 * (callErrorFromStatus) and, where the SDK rewrites it, as the SDK rewrites it: a failed workflow task
 * (a worker died or timed out in the middle of one) is "come back later", never an unexpected error.
 */
describe('Temporal errors as problems', () => {
  const grpcError = (code: status, details: string, sdkMessage?: string) => {
    const err = callErrorFromStatus({ code, details, metadata: new Metadata() }, '');
    // The SDK sets the message from the status details it decodes (@temporalio/client helpers.js).
    if (sdkMessage) err.message = sdkMessage;
    return err;
  };

  test.each([
    [
      'an Update while the workflow task is failed',
      grpcError(status.FAILED_PRECONDITION, 'Unable to perform workflow execution update due to Workflow Task in failed state.'),
      503,
    ],
    [
      'an Update-with-Start while the workflow task is failed (the operation says so only in the message)',
      grpcError(
        status.FAILED_PRECONDITION,
        'Update-with-Start could not be executed.',
        'Unable to perform workflow execution update due to Workflow Task in failed state.',
      ),
      503,
    ],
    [
      'an Update while the workflow task is failed, as the SDK hands it over (wrapped in its ServiceError)',
      new ServiceError('Workflow Update failed', {
        cause: grpcError(status.FAILED_PRECONDITION, 'Unable to perform workflow execution update due to Workflow Task in failed state.'),
      }),
      503,
    ],
    ['too many Updates in flight', grpcError(status.RESOURCE_EXHAUSTED, 'Too many outstanding updates'), 503],
    ['Temporal unreachable', grpcError(status.UNAVAILABLE, 'No connection established'), 503],
    ['a closed case', grpcError(status.NOT_FOUND, 'workflow execution already completed'), 409],
  ])('%s', (_, err, expected) => {
    const problem = temporalProblem(err);
    expect(problem).toBeInstanceOf(HttpProblem);
    expect((problem as HttpProblem).status).toBe(expected);
  });

  test('another failed precondition stays an error of its own (a 500 with its stack in the log)', () => {
    const err = grpcError(status.FAILED_PRECONDITION, 'Update-with-Start could not be executed.', 'some other precondition');
    expect(temporalProblem(err)).toBe(err);
  });
});
