import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A JDK on this machine: `home` is what JAVA_HOME would be. */
export type Jdk = { home: string; version: string };

const JVM_DIRS = ['/usr/lib/jvm', '/opt/java', '/usr/local/lib/jvm'];

/**
 * A JDK of the given feature release (`17`, `25`): `JAVA_<major>_HOME`
 * when set, else the `java` on PATH when it is that release, else one of the
 * JDKs installed side by side under /usr/lib/jvm and the like (Debian's,
 * Temurin's). Undefined when the machine has none, so that a test can skip
 * that Java version and say why rather than fail.
 */
export function findJdk(major: string): Jdk | undefined {
  const candidates = [
    process.env[`JAVA_${major}_HOME`],
    defaultJavaHome(),
    ...JVM_DIRS.flatMap(dir =>
      existsSync(dir) ? readdirSync(dir).map(name => join(dir, name)) : [],
    ),
  ];
  for (const home of candidates) {
    if (!home || !existsSync(join(home, 'bin', 'javac'))) continue;
    const version = releaseVersion(home);
    if (version && featureRelease(version) === major) return { home, version };
  }
  return undefined;
}

/** The environment that runs Maven and `java` on `jdk`. */
export function jdkEnv(jdk: Jdk): NodeJS.ProcessEnv {
  return {
    ...process.env,
    JAVA_HOME: jdk.home,
    PATH: `${join(jdk.home, 'bin')}:${process.env.PATH ?? ''}`,
  };
}

function defaultJavaHome(): string | undefined {
  // -XshowSettings prints to stderr
  const { stderr } = spawnSync('java', ['-XshowSettings:properties', '-version'], {
    encoding: 'utf8',
  });
  return /java\.home = (.+)/.exec(stderr ?? '')?.[1]?.trim();
}

/** JAVA_VERSION from the JDK's `release` file, e.g. `25.0.3`. */
function releaseVersion(home: string): string | undefined {
  try {
    const release = readFileSync(join(home, 'release'), 'utf8');
    return /^JAVA_VERSION="([^"]+)"/m.exec(release)?.[1];
  } catch {
    return undefined;
  }
}

function featureRelease(version: string): string {
  const [first, second] = version.split('.');
  return first === '1' ? second : first;
}
