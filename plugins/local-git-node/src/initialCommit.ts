import fs from 'node:fs/promises';
import { join } from 'node:path';
import ignore, { Ignore } from 'ignore';
import { PackWriter } from './PackWriter';

/**
 * Writes a directory as the single commit of a brand-new bare repository,
 * in process.
 *
 * Why not `git init && git add -A && git commit`: those three processes cost
 * more than rendering the whole skeleton, and a first commit needs none of
 * what they do beyond writing objects. Git's pack format and the bare layout
 * are stable on-disk formats; the tests check the result with
 * `git fsck --strict` and `git verify-pack`, and that its tree hash equals
 * what `git add -A && git write-tree` gives.
 *
 * What `git add -A` would skip is skipped here too: `.git`, files matched by
 * the `.gitignore` files (nested ones included, deeper ones taking
 * precedence), empty directories, and anything that is neither a file, a
 * directory nor a symlink.
 */
export async function writeInitialCommit(options: {
  /** An empty (or not yet existing) directory to become the bare repository. */
  gitDir: string;
  sourceDir: string;
  branch: string;
  author: { name: string; email: string };
  message: string;
  /** @defaultValue now */
  date?: Date;
}): Promise<string> {
  const { gitDir, branch, author } = options;
  await initBareRepository(gitDir, branch);
  const objects = new PackWriter();
  const tree =
    (await addTree(objects, options.sourceDir, '', [])) ??
    objects.add('tree', Buffer.alloc(0));
  const signature = `${author.name} <${author.email}> ${gitDate(
    options.date ?? new Date(),
  )}`;
  const commit = objects.add(
    'commit',
    Buffer.from(
      `tree ${tree}\nauthor ${signature}\ncommitter ${signature}\n\n${cleanMessage(
        options.message,
      )}`,
    ),
  );
  await objects.write(gitDir);
  await fs.writeFile(join(gitDir, 'refs', 'heads', branch), `${commit}\n`);
  return commit;
}

/** The layout `git init --bare` makes, minus the sample hooks. */
async function initBareRepository(gitDir: string, branch: string) {
  await Promise.all(
    ['objects/info', 'objects/pack', 'refs/heads', 'refs/tags', 'info'].map(d =>
      fs.mkdir(join(gitDir, d), { recursive: true }),
    ),
  );
  await Promise.all([
    fs.writeFile(join(gitDir, 'HEAD'), `ref: refs/heads/${branch}\n`),
    fs.writeFile(
      join(gitDir, 'config'),
      [
        '[core]',
        '\trepositoryformatversion = 0',
        '\tfilemode = true',
        '\tbare = true',
        // Read-only hosting, even if someone serves the directory differently.
        '[http]',
        '\treceivepack = false',
        '',
      ].join('\n'),
    ),
    fs.writeFile(join(gitDir, 'info', 'exclude'), ''),
  ]);
}

type IgnoreScope = { base: string; rules: Ignore };
type TreeEntry = { mode: string; name: string; id: string; sortKey: string };

/** Adds `dir` and all it tracks; undefined when it tracks nothing. */
async function addTree(
  objects: PackWriter,
  root: string,
  dir: string,
  scopes: IgnoreScope[],
): Promise<string | undefined> {
  const absolute = join(root, dir);
  const dirents = await fs.readdir(absolute, { withFileTypes: true });
  const gitignore = dirents.find(d => d.name === '.gitignore' && d.isFile());
  const inScope = gitignore
    ? [
        ...scopes,
        {
          base: dir,
          rules: ignore().add(
            await fs.readFile(join(absolute, '.gitignore'), 'utf8'),
          ),
        },
      ]
    : scopes;

  const entries = await Promise.all(
    dirents.map(async (dirent): Promise<TreeEntry | undefined> => {
      const { name } = dirent;
      const path = dir ? `${dir}/${name}` : name;
      const isDir = dirent.isDirectory();
      if (name === '.git' || isIgnored(inScope, path, isDir)) {
        return undefined;
      }
      if (isDir) {
        const id = await addTree(objects, root, path, inScope);
        // Git sorts a tree as if its name ended in '/'.
        return id
          ? { mode: '40000', name, id, sortKey: `${name}/` }
          : undefined;
      }
      const file = join(root, path);
      if (dirent.isSymbolicLink()) {
        const target = Buffer.from(await fs.readlink(file));
        const id = objects.add('blob', target);
        return { mode: '120000', name, id, sortKey: name };
      }
      if (!dirent.isFile()) {
        return undefined;
      }
      const [content, stat] = await Promise.all([
        fs.readFile(file),
        fs.stat(file),
      ]);
      const id = objects.add('blob', content);
      // Git records only whether the owner may execute the file.
      const mode = stat.mode & 0o100 ? '100755' : '100644';
      return { mode, name, id, sortKey: name };
    }),
  );

  const tracked = entries
    .filter((e): e is TreeEntry => Boolean(e))
    .sort((a, b) =>
      Buffer.compare(Buffer.from(a.sortKey), Buffer.from(b.sortKey)),
    );
  if (tracked.length === 0) {
    return undefined;
  }
  return objects.add(
    'tree',
    Buffer.concat(
      tracked.flatMap(e => [
        Buffer.from(`${e.mode} ${e.name}\0`),
        Buffer.from(e.id, 'hex'),
      ]),
    ),
  );
}

// The deepest .gitignore with a verdict on the path wins, as in git.
function isIgnored(scopes: IgnoreScope[], path: string, isDir: boolean) {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const { base, rules } = scopes[i];
    const relativePath = base ? path.slice(base.length + 1) : path;
    const verdict = rules.test(isDir ? `${relativePath}/` : relativePath);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

/** `<seconds since epoch> <+hhmm>` in the machine's time zone, like git. */
function gitDate(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const abs = Math.abs(offset);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}${String(
    abs % 60,
  ).padStart(2, '0')}`;
  return `${Math.floor(date.getTime() / 1000)} ${
    offset < 0 ? '-' : '+'
  }${hhmm}`;
}

/**
 * What `git commit -F -` does to a message (cleanup mode "whitespace"):
 * trailing spaces and surrounding blank lines go, runs of blank lines become
 * one, and it ends in a newline.
 */
export function cleanMessage(message: string): string {
  const lines = message.split('\n').map(line => line.trimEnd());
  const kept = lines.filter(
    (line, i) => line !== '' || (i > 0 && lines[i - 1] !== ''),
  );
  while (kept[0] === '') kept.shift();
  while (kept[kept.length - 1] === '') kept.pop();
  return `${kept.join('\n')}\n`;
}
