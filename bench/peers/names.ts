/** The peers the benchmark can run beside the service (`--peer`). */
export const PEERS = ['flowable'] as const;
export type PeerName = (typeof PEERS)[number];
