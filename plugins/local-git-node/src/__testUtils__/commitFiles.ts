import fs from 'node:fs';
import { dirname, join } from 'node:path';
import { commitDirectory } from '../commits';

/**
 * Commits exactly `files` (path to content; content starting with `#!` is
 * made executable) as the next commit of `branch`, from a fresh directory
 * below `scratchDir`. Returns the commit.
 */
export async function commitFiles(
  gitDir: string,
  scratchDir: string,
  branch: string,
  files: Record<string, string>,
): Promise<string> {
  const dir = fs.mkdtempSync(join(scratchDir, 'snapshot-'));
  for (const [path, content] of Object.entries(files)) {
    fs.mkdirSync(dirname(join(dir, path)), { recursive: true });
    fs.writeFileSync(join(dir, path), content);
    if (content.startsWith('#!')) fs.chmodSync(join(dir, path), 0o755);
  }
  const { commitHash } = await commitDirectory(gitDir, {
    branch,
    sourceDir: dir,
    author: { name: 'Jane Doe', email: 'jane@example.com' },
    message: `Commit to ${branch}`,
  });
  return commitHash;
}
