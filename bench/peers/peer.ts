import type { BenchOptions } from '../args';
import type { Stack } from '../stack';
import { startFlowable } from './flowable';
import type { PeerName } from './names';
import type { Peer } from './types';

/** Starts a peer by its name (`--peer`). */
export function startPeer(name: PeerName, stack: Stack, options: BenchOptions, log: (line: string) => void): Promise<Peer> {
  switch (name) {
    case 'flowable':
      return startFlowable(stack, options, log);
  }
}
