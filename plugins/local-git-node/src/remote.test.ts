import childProcess from 'node:child_process';
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { commitFiles as commitFilesTo } from './__testUtils__/commitFiles';
import { createBranch, initBareRepository } from './commits';
import { mergeIntoNewBranch, readBlob, resolveRef } from './merge';
import { TemporaryClone } from './remote';

const author = { name: 'Jane Doe', email: 'jane@example.com' };
const TEMPLATE = 'paved-road/template';
const UPGRADE = 'paved-road/upgrade-1.1.0';
const TOKEN = 'ghs_secretInstallationToken123';

describe('TemporaryClone', () => {
  const mockDir = createMockDirectory();
  let remote: string;
  const clones: TemporaryClone[] = [];
  const commitFiles = (
    gitDir: string,
    branch: string,
    files: Record<string, string>,
  ) => commitFilesTo(gitDir, mockDir.path, branch, files);

  const fetch = async (token?: string) => {
    const clone = await TemporaryClone.fetch({
      url: remote,
      branches: ['main', TEMPLATE, UPGRADE],
      token,
    });
    clones.push(clone);
    return clone;
  };

  beforeEach(async () => {
    mockDir.clear();
    // Stands in for GitHub: a bare repository with the project's branches.
    remote = mockDir.resolve('remote.git');
    await initBareRepository(remote, 'main');
    await commitFiles(remote, 'main', { 'README.md': '# service\n' });
    await createBranch(remote, TEMPLATE, 'main');
    await commitFiles(remote, 'main', { 'README.md': '# ours\n' });
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(clones.splice(0).map(c => c.dispose()));
  });

  it('fetches the branches the remote has and pushes an upgrade back atomically', async () => {
    const clone = await fetch();
    const templateHead = await resolveRef(clone.gitDir, TEMPLATE);
    expect(await resolveRef(clone.gitDir, 'main')).toBe(
      await resolveRef(remote, 'main'),
    );
    expect(templateHead).toBe(await resolveRef(remote, TEMPLATE));
    expect(await resolveRef(clone.gitDir, UPGRADE)).toBeUndefined();

    const render = await commitFiles(clone.gitDir, TEMPLATE, {
      'README.md': '# service\n',
      'NEW.md': 'new\n',
    });
    const merge = await mergeIntoNewBranch(clone.gitDir, {
      base: 'main',
      from: TEMPLATE,
      branch: UPGRADE,
      author,
      message: 'Upgrade',
    });
    await clone.push([
      { ref: TEMPLATE, commit: render, expectedOld: templateHead! },
      {
        ref: `refs/heads/${UPGRADE}`,
        commit: merge.commitHash,
        expectedOld: null,
      },
    ]);

    expect(await resolveRef(remote, TEMPLATE)).toBe(render);
    expect(await resolveRef(remote, UPGRADE)).toBe(merge.commitHash);
    expect((await readBlob(remote, UPGRADE, 'NEW.md'))?.toString()).toBe(
      'new\n',
    );
  });

  it('fetches every branch a pattern names, and nothing else', async () => {
    await commitFiles(remote, UPGRADE, { 'README.md': '# upgrade\n' });
    await commitFiles(remote, 'feature/x', { 'README.md': '# x\n' });

    const clone = await TemporaryClone.fetch({
      url: remote,
      branches: ['main', 'paved-road/*'],
    });
    clones.push(clone);

    for (const branch of ['main', TEMPLATE, UPGRADE]) {
      expect(await resolveRef(clone.gitDir, branch)).toBe(
        await resolveRef(remote, branch),
      );
    }
    expect(await resolveRef(clone.gitDir, 'feature/x')).toBeUndefined();
  });

  it('refuses a stale lease and then moves neither ref', async () => {
    const clone = await fetch();
    const templateHead = (await resolveRef(clone.gitDir, TEMPLATE))!;
    const render = await commitFiles(clone.gitDir, TEMPLATE, {
      'README.md': '# v2\n',
    });
    // Meanwhile someone else moves the template branch on the remote.
    const theirs = await commitFiles(remote, TEMPLATE, {
      'README.md': '# v3\n',
    });

    const push = clone.push([
      { ref: TEMPLATE, commit: render, expectedOld: templateHead },
      { ref: UPGRADE, commit: render, expectedOld: null },
    ]);

    await expect(push).rejects.toThrow(ConflictError);
    expect(await resolveRef(remote, TEMPLATE)).toBe(theirs);
    expect(await resolveRef(remote, UPGRADE)).toBeUndefined();
  });

  it('refuses to create a branch that already exists', async () => {
    const clone = await fetch();
    const main = (await resolveRef(clone.gitDir, 'main'))!;
    await commitFiles(remote, UPGRADE, { 'README.md': '# someone else\n' });

    await expect(
      clone.push([{ ref: UPGRADE, commit: main, expectedOld: null }]),
    ).rejects.toThrow(ConflictError);
  });

  it('sends the token as an HTTP header through the environment only, never in argv or an error', async () => {
    const execFile = jest.spyOn(childProcess, 'execFile');
    const mkdtemp = jest.spyOn(fsPromises, 'mkdtemp');
    const headers: (string | undefined)[] = [];
    const server = http.createServer((req, res) => {
      headers.push(req.headers.authorization);
      res.writeHead(404).end();
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/acme/service.git`;
    const encoded = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');

    let error: Error | undefined;
    try {
      await TemporaryClone.fetch({ url, branches: ['main'], token: TOKEN });
    } catch (e) {
      error = e as Error;
    } finally {
      server.close();
    }

    expect(headers[0]).toBe(`basic ${encoded}`);
    expect(error?.message).toMatch(/ls-remote|acme\/service/);
    for (const secret of [TOKEN, encoded]) {
      expect(error?.message).not.toContain(secret);
      expect(error?.stack).not.toContain(secret);
      for (const [, args] of execFile.mock.calls) {
        expect(JSON.stringify(args)).not.toContain(secret);
      }
    }
    // Nothing is left on disk after a failed fetch.
    const [dir] = await Promise.all(mkdtemp.mock.results.map(r => r.value));
    expect(dir).toContain('paved-road-clone-');
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('keeps a token for a local remote out of argv as well', async () => {
    const execFile = jest.spyOn(childProcess, 'execFile');
    const clone = await fetch(TOKEN);
    const main = (await resolveRef(clone.gitDir, 'main'))!;
    await clone.push([{ ref: 'release', commit: main, expectedOld: null }]);

    expect(execFile.mock.calls.length).toBeGreaterThan(2);
    for (const [, args] of execFile.mock.calls) {
      expect(JSON.stringify(args)).not.toContain(TOKEN);
    }
    expect(await resolveRef(remote, 'release')).toBe(main);
  });

  it('removes its directory on dispose, twice without complaint', async () => {
    const clone = await fetch();
    const dir = join(clone.gitDir, '..');
    expect(fs.existsSync(dir)).toBe(true);

    await clone.dispose();
    await clone.dispose();

    expect(fs.existsSync(dir)).toBe(false);
  });
});
