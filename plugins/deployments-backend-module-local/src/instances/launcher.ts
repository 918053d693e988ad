/**
 * How an instance is started: the command line for one artifact on one
 * port. The runtime spawns it, detached, with its output in a log file.
 *
 * @public
 */
export interface InstanceLauncher {
  command(options: {
    /** Absolute path of what the build produced. */
    artifact: string;
    /** The port the instance must listen on. */
    port: number;
    /** Heap for the instance, already capped. */
    memoryMiB: number;
  }): { command: string; args: string[] };
}

/** `java -Xmx<memory>m -jar app.jar --server.port=<port>`. */
export const javaLauncher: InstanceLauncher = {
  command: ({ artifact, port, memoryMiB }) => ({
    command: 'java',
    args: [`-Xmx${memoryMiB}m`, '-jar', artifact, `--server.port=${port}`],
  }),
};
