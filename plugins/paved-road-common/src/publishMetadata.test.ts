import fs from 'node:fs';
import path from 'node:path';

// Guards the publish metadata of every package under plugins/, and of the
// templates package under templates/ (see docs/publishing.md):
// `backstage-cli package prepack` refuses packages that lack it, and a
// forgotten field only shows when someone packs. Lives here because every
// plugin depends on this package; it reads files, not code.

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
  publishConfig?: { access?: string; executableFiles?: string[] };
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
            // a module names the backend plugin it extends: ours where this
            // repository has it (deployments), else Backstage's own
            pluginPackage:
              packages.find(
                p =>
                  p.pkg.backstage?.role === 'backend-plugin' &&
                  p.pkg.backstage.pluginId === pluginId,
              )?.pkg.name ?? `@backstage/plugin-${pluginId}-backend`,
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

// The templates package (templates/, @paved-road/templates) is plain files:
// the template directories, all.yaml (a Location listing every template)
// and the sample organisation. `yarn pack` takes the directories as they are
// except for names it always leaves out.
describe('publish metadata of the templates package', () => {
  const templatesDir = path.join(repoRoot, 'templates');
  const pkg = JSON.parse(
    fs.readFileSync(path.join(templatesDir, 'package.json'), 'utf8'),
  ) as PackageJson;
  const templateDirs = fs
    .readdirSync(templatesDir)
    .filter(dir => fs.existsSync(path.join(templatesDir, dir, 'template.yaml')))
    .sort();
  // Every file under the template directories and the sample organisation.
  const shipped = [...templateDirs, 'sample-org'].flatMap(dir =>
    fs
      .readdirSync(path.join(templatesDir, dir), {
        recursive: true,
        withFileTypes: true,
      })
      .filter(entry => !entry.isDirectory())
      .map(entry =>
        path.relative(templatesDir, path.join(entry.parentPath, entry.name)),
      ),
  );

  it('is publishable at the shared version, in this repository', () => {
    expect(pkg.name).toBe('@paved-road/templates');
    expect(pkg.private).toBeUndefined();
    expect(pkg.version).toBe(version);
    expect(pkg.license).toBe(packages[0].pkg.license);
    expect(pkg.description).toBeTruthy();
    expect(pkg.publishConfig?.access).toBe('public');
    expect(pkg.repository).toEqual({
      type: 'git',
      url: packages[0].pkg.repository?.url,
      directory: 'templates',
    });
  });

  it('ships every template directory, the Location and the sample organisation', () => {
    expect(templateDirs).toEqual(
      expect.arrayContaining([
        'kotlin-library',
        'kotlin-spring-service',
        'paved-road-template',
      ]),
    );
    expect([...(pkg.files ?? [])].sort()).toEqual(
      ['all.yaml', 'sample-org', ...templateDirs].sort(),
    );
    expect(
      fs.existsSync(path.join(templatesDir, 'sample-org', 'org.yaml')),
    ).toBe(true);
  });

  it('registers every template through all.yaml', () => {
    const allYaml = fs.readFileSync(
      path.join(templatesDir, 'all.yaml'),
      'utf8',
    );
    expect(allYaml).toMatch(/^kind: Location$/m);
    const targets = [
      ...allYaml.matchAll(/^\s+- \.\/([^/\s]+)\/template\.yaml$/gm),
    ].map(m => m[1]);
    expect(targets.sort()).toEqual(templateDirs);
  });

  it('has no file that yarn pack leaves out of the tarball', () => {
    // yarn pack drops these names wherever they are; a skeleton names them
    // ${{ '.github' }} and the scaffolder renders the name.
    const dropped = new Set([
      '.github',
      '.gitignore',
      '.npmignore',
      '.git',
      '.hg',
      'node_modules',
      '.DS_Store',
      '.yarnrc.yml',
    ]);
    expect(
      shipped.filter(file =>
        file
          .split('/')
          .some(part => dropped.has(part) || part.startsWith('.#')),
      ),
    ).toEqual([]);
  });

  it('keeps the executable bit of the scripts it ships', () => {
    // yarn pack writes every other file with mode 644, and fetch:template
    // gives a new project's files the mode they have in the package.
    const executables = shipped.filter(
      file => fs.statSync(path.join(templatesDir, file)).mode & 0o100,
    );
    expect(executables).toContain(
      'paved-road-template/skeleton/scripts/test-template',
    );
    expect([...(pkg.publishConfig?.executableFiles ?? [])].sort()).toEqual(
      executables.sort(),
    );
  });
});
