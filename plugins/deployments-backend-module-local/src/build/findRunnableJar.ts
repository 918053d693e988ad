import fs from 'node:fs/promises';
import path from 'node:path';

// What Maven and Gradle plugins leave beside the runnable jar.
const NOT_RUNNABLE = /(-plain|-sources|-javadoc|-tests)\.jar$|^original-/;

/**
 * The jar `mvn package` built to run: the one jar in target/ that is not
 * a plain, sources, javadoc or test jar (the largest, if several are left,
 * which is the repackaged one).
 */
export async function findRunnableJar(targetDir: string): Promise<string> {
  let names: string[];
  try {
    names = await fs.readdir(targetDir);
  } catch {
    throw new Error(
      `the build produced no ${path.basename(targetDir)}/ directory`,
    );
  }
  const jars = names.filter(n => n.endsWith('.jar') && !NOT_RUNNABLE.test(n));
  if (jars.length === 0) {
    throw new Error(
      `no runnable jar in ${path.basename(targetDir)}/ (found: ${
        names.join(', ') || 'nothing'
      })`,
    );
  }
  const sized = await Promise.all(
    jars.map(async name => ({
      name,
      size: (await fs.stat(path.join(targetDir, name))).size,
    })),
  );
  sized.sort((a, b) => b.size - a.size);
  return path.join(targetDir, sized[0].name);
}
