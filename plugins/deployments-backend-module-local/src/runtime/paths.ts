import path from 'node:path';
import type { ServiceKey } from '../database/LocalRuntimeStore';

const safe = (text: string) => text.replace(/[^a-zA-Z0-9._-]/g, '_');

/** `<workDirectory>/<entity>--<environment>`: everything of one service. */
export function serviceDirectory(workDirectory: string, key: ServiceKey) {
  return path.join(
    workDirectory,
    `${safe(key.entityRef)}--${safe(key.environment)}`,
  );
}

/** One deployment's build, artifact and instance logs. */
export function deploymentDirectory(
  workDirectory: string,
  key: ServiceKey,
  deploymentId: string,
) {
  return path.join(serviceDirectory(workDirectory, key), safe(deploymentId));
}

export function instanceLogFile(artifact: string, instanceId: string) {
  return path.join(path.dirname(artifact), 'logs', `${instanceId}.log`);
}

/** The repository's files kept beside an artifact, where its instances run. */
export function artifactFiles(artifact: string) {
  return path.join(path.dirname(artifact), 'files');
}
