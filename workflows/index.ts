// The workflow bundle's entry point: every workflow type the Temporal worker registers.
export { caseWorkflow } from './case';
export { recordsWatchWorkflow } from './records-watch';
export { notificationDispatchWorkflow } from './notifications';
export { caseGroupWorkflow } from './case-group';
