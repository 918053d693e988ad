import type { DeploymentRequest } from '@paved-road/plugin-deployments-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { artifactFiles } from '../runtime/paths';
import { ArtifactBuilder } from './ArtifactBuilder';
import { findRunnableJar } from './findRunnableJar';
import { redact, runCommand } from './runCommand';

/**
 * Clones the repository with the git CLI, checks out the commit, runs
 * `mvn -B package` and keeps the runnable jar as `<directory>/app.jar`.
 * The repository's own files at that commit, without `.git` and the build
 * output, stay as `<directory>/files`: instances run there, as a container
 * runs among the files its image copies (a service's `flags/flags.json`,
 * say).
 */
export class MavenBuilder implements ArtifactBuilder {
  constructor(
    private readonly options: {
      skipTests: boolean;
      /** `mvn` unless a test puts a stand-in there. */
      mavenCommand?: string;
    },
  ) {}

  async build(
    request: DeploymentRequest,
    options: {
      directory: string;
      log(line: string): void;
      signal: AbortSignal;
    },
  ): Promise<string> {
    const { directory, log, signal } = options;
    const source = path.join(directory, 'source');
    const env = {
      ...process.env,
      // Never wait for a password on a terminal nobody watches.
      GIT_TERMINAL_PROMPT: '0',
    };
    const run = (command: string, args: string[], cwd: string) => {
      log(`$ ${redact([command, ...args].join(' '))}`);
      return runCommand(command, args, { cwd, signal, env, onLine: log });
    };

    await fs.rm(source, { recursive: true, force: true });
    await fs.mkdir(directory, { recursive: true });
    await run(
      'git',
      ['clone', '--quiet', request.repository.cloneUrl, source],
      directory,
    );
    await run(
      'git',
      [
        '-c',
        'advice.detachedHead=false',
        'checkout',
        '--quiet',
        request.commitSha,
      ],
      source,
    );

    const mavenArgs = [
      '-B',
      'package',
      // The Kotlin compile daemon would outlive the build.
      '-Dkotlin.compiler.daemon=false',
    ];
    if (this.options.skipTests) mavenArgs.push('-DskipTests');
    await run(this.options.mavenCommand ?? 'mvn', mavenArgs, source);

    const jar = await findRunnableJar(path.join(source, 'target'));
    const artifact = path.join(directory, 'app.jar');
    await fs.copyFile(jar, artifact);
    log(`built ${path.relative(source, jar)}`);
    const files = artifactFiles(artifact);
    await fs.rm(files, { recursive: true, force: true });
    await fs.rm(path.join(source, '.git'), { recursive: true, force: true });
    await fs.rm(path.join(source, 'target'), { recursive: true, force: true });
    await fs.rename(source, files);
    return artifact;
  }
}
