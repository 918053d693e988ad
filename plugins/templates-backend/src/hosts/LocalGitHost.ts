import { ConflictError } from '@backstage/errors';
import {
  LocalGitRepositories,
  readBlob,
  resolveRef,
} from '@paved-road/plugin-local-git-node';
import { ProjectHost, ProjectRepository, RefUpdate } from './ProjectHost';

/**
 * A project hosted by Paved Road's local git (the embedded default). The
 * upgrade works in the hosted bare repository itself: its refs move in
 * place by compare-and-swap, so there is nothing to push, and the hosting
 * has no pull requests or compare page: the team clones the branch.
 */
export class LocalGitHost implements ProjectHost {
  readonly kind = 'local-git';

  constructor(
    private readonly repositories: LocalGitRepositories,
    /** The repository's name, `<name>.git` in the hosting's directory. */
    readonly name: string,
  ) {}

  /** NotFoundError when the repository does not exist. */
  async open(): Promise<ProjectRepository> {
    const { defaultBranch, cloneUrl } = await this.repositories.getRepository(
      this.name,
    );
    const gitDir = this.repositories.repositoryPath(this.name);
    return {
      gitDir,
      defaultBranch,
      cloneUrl,
      publish: updates => checkInPlace(gitDir, updates),
      compareUrl: () => undefined,
      dispose: async () => {},
    };
  }

  async readFile(path: string, branch?: string): Promise<Buffer | undefined> {
    // getRepository: NotFoundError for a repository that is gone.
    const { defaultBranch } = await this.repositories.getRepository(this.name);
    return readBlob(
      this.repositories.repositoryPath(this.name),
      branch ?? defaultBranch,
      path,
    );
  }
}

/**
 * The upgrade already moved every ref in the hosted repository; nothing is
 * pushed. Checks each is still where the upgrade put it, so a ref moved in
 * between is reported as it would be by a push.
 */
async function checkInPlace(
  gitDir: string,
  updates: RefUpdate[],
): Promise<void> {
  for (const update of updates) {
    const at = await resolveRef(
      gitDir,
      update.ref.replace(/^refs\/heads\//, ''),
    );
    if (at !== update.commit) {
      throw new ConflictError(
        `${update.ref} is at ${at ?? 'nothing'}, not at the upgrade's ${
          update.commit
        }; it moved meanwhile, try again`,
      );
    }
  }
}
