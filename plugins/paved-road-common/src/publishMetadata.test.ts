import fs from 'node:fs';
import path from 'node:path';

// Guards the publish metadata of every package under plugins/ (see
// docs/publishing.md): `backstage-cli package prepack` refuses packages that
// lack it, and a forgotten field only shows when someone packs. Lives here
// because every plugin depends on this package; it reads files, not code.

const repoRoot = path.resolve(__dirname, '../../..');
const pluginsDir = path.join(repoRoot, 'plugins');

type PackageJson = {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  license?: string;
  files?: string[];
  configSchema?: string;
  publishConfig?: { access?: string };
  repository?: { type?: string; url?: string; directory?: string };
  backstage?: {
    role: string;
    pluginId?: string;
    pluginPackage?: string;
    pluginPackages?: string[];
  };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

const packages = fs
  .readdirSync(pluginsDir)
  .filter(dir => fs.existsSync(path.join(pluginsDir, dir, 'package.json')))
  .map(dir => ({
    dir,
    has: (file: string) => fs.existsSync(path.join(pluginsDir, dir, file)),
    pkg: JSON.parse(
      fs.readFileSync(path.join(pluginsDir, dir, 'package.json'), 'utf8'),
    ) as PackageJson,
  }));
const names = new Set(packages.map(p => p.pkg.name));
const version = packages.find(p => p.dir === 'paved-road-common')!.pkg.version;

// What `backstage-cli repo fix --publish` derives: every package of a plugin
// lists the plugin's packages; modules name the plugin they extend.
const pluginPackagesOf = (pluginId: string) =>
  packages
    .filter(
      p =>
        p.pkg.backstage?.pluginId === pluginId &&
        !p.pkg.backstage.role.endsWith('-module'),
    )
    .map(p => p.pkg.name)
    .sort();

describe('publish metadata of the plugin packages', () => {
  it('finds the packages', () => {
    expect(packages.length).toBeGreaterThanOrEqual(10);
  });

  it('has one changelog entry for the version all packages share', () => {
    const changelog = fs.readFileSync(
      path.join(repoRoot, 'CHANGELOG.md'),
      'utf8',
    );
    expect(changelog).toMatch(
      new RegExp(`^## ${version.replace(/\./g, '\\.')}\\b`, 'm'),
    );
  });

  describe.each(packages)('plugins/$dir', ({ dir, has, pkg }) => {
    it('is publishable at the shared version', () => {
      expect(pkg.private).toBeUndefined();
      expect(pkg.version).toBe(version);
      expect(pkg.license).toBeTruthy();
      expect(pkg.description).toBeTruthy();
      expect(pkg.publishConfig?.access).toBe('public');
      expect(pkg.repository).toEqual({
        type: 'git',
        url: packages[0].pkg.repository?.url,
        directory: `plugins/${dir}`,
      });
    });

    it('ships its build, config schema and migrations', () => {
      const expected = ['dist', 'config.d.ts', 'migrations'].filter(
        file => file === 'dist' || has(file),
      );
      expect([...(pkg.files ?? [])].sort()).toEqual(expected.sort());
      expect(pkg.configSchema).toBe(
        has('config.d.ts') ? 'config.d.ts' : undefined,
      );
    });

    it('carries the backstage fields backstage-cli checks before packing', () => {
      const { role, pluginId, pluginPackage, pluginPackages } = pkg.backstage!;
      const expected = role.endsWith('-module')
        ? {
            // all our modules extend Backstage's own backend plugins
            pluginPackage: `@backstage/plugin-${pluginId}-backend`,
            pluginPackages: undefined,
          }
        : {
            pluginPackage: undefined,
            pluginPackages: pluginPackagesOf(pluginId!),
          };
      expect(pluginId).toBeTruthy();
      expect({ pluginPackage, pluginPackages }).toEqual(expected);
    });

    it('depends on sibling packages through workspace ranges', () => {
      const siblings = Object.entries({
        ...pkg.dependencies,
        ...pkg.devDependencies,
      }).filter(([dep]) => names.has(dep));
      expect(siblings).toEqual(siblings.map(([dep]) => [dep, 'workspace:^']));
    });
  });
});
