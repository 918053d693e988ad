import fs from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { findJdk, jdkEnv } from './jdks';

describe('findJdk', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("finds the machine's JDK 17, which the builds need", () => {
    const jdk = findJdk('17');
    expect(jdk?.version).toMatch(/^17\./);
    expect(jdkEnv(jdk!).PATH?.split(':')[0]).toBe(join(jdk!.home, 'bin'));
  });

  it('takes JAVA_<major>_HOME first, reading its release file', async () => {
    const home = await fs.mkdtemp(join(os.tmpdir(), 'jdk-99-'));
    await fs.mkdir(join(home, 'bin'));
    await fs.writeFile(join(home, 'bin', 'javac'), '');
    await fs.writeFile(join(home, 'release'), 'JAVA_VERSION="99.0.1"\n');
    process.env.JAVA_99_HOME = home;
    try {
      expect(findJdk('99')).toEqual({ home, version: '99.0.1' });
    } finally {
      await fs.rm(home, { recursive: true });
    }
  });

  it('says there is none rather than guessing', () => {
    expect(findJdk('98')).toBeUndefined();
  });
});
