import path from 'node:path';
import { temporal as proto } from '@temporalio/proto';
import { PROJECT_ROOT } from './config';

/**
 * Saved workflow histories for the replay test: recorded by scripts/record-histories.ts, replayed by
 * test/replay.test.ts. Stored as gzipped protobuf.js objects in JSON (64-bit numbers as strings); the SDK's own
 * historyToJSON fails under this dependency tree (two protobufjs versions: "type must be a Type").
 */
// One folder per workflow version, named after its newest patch marker ("initial": before any patch). Older
// folders stay: they hold the histories of cases started under earlier versions, which must replay too.
export const HISTORIES_DIR = path.join(PROJECT_ROOT, 'test', 'histories');

const History = proto.api.history.v1.History;

export function historyToObject(history: proto.api.history.v1.IHistory): object {
  return History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });
}

export function historyFromObject(json: object): proto.api.history.v1.History {
  return History.fromObject(json);
}
