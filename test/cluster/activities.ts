export interface ClusterProbeActivities {
  greet: (name: string) => Promise<string>;
}

export const clusterProbeActivities: ClusterProbeActivities = {
  async greet(name) {
    return `hello, ${name}`;
  },
};
