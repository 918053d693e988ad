import fs from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import {
  AuthService,
  DiscoveryService,
  LoggerService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { resolveAnswers } from '../templates/answers';
import {
  assertNoStepSkipped,
  DryRunLogEntry,
  renderSteps,
} from '../templates/renderSteps';
import { TemplateSnapshot, TemplateSource } from '../templates/TemplateSource';

/** The dry-run API takes 10 MB of JSON; base64 grows files by a third. */
const MAX_UPLOAD_BYTES = 7 * 1024 * 1024;

/** What the project's template branch holds beyond plain files. */
export type TemplateHeadModes = {
  /** Paths that are executable (100755) at the head of the template branch. */
  executable?: Iterable<string>;
  /** Symlinks (120000) at the head of the template branch, path → target. */
  symlinks?: Map<string, string>;
};

export type RenderRequest = {
  templateRef: string;
  /** The project's stored answers (`.paved-road/answers.yaml`). */
  answers: JsonObject;
  /** Answers given with the upgrade; they win over the stored ones. */
  overrides?: JsonObject;
  head?: TemplateHeadModes;
};

/** A render in a temporary directory; `dispose` removes it. */
export type Render = {
  dir: string;
  template: TemplateSnapshot;
  values: JsonObject;
  dispose(): Promise<void>;
};

/**
 * Renders a template for an existing project with the scaffolder's own
 * engine: the steps before publishing, replayed through its dry-run API
 * with the project's answers, as the plugin's own service.
 */
export class TemplateRenderer {
  constructor(
    private readonly deps: {
      source: TemplateSource;
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  async render(request: RenderRequest): Promise<Render> {
    const template = await this.deps.source.load(request.templateRef);
    const spec = (template.entity.spec ?? {}) as JsonObject;
    const { values, missingAnswers } = resolveAnswers(
      spec.parameters,
      request.answers,
      request.overrides,
    );
    if (missingAnswers.length > 0) {
      throw new InputError(
        `${template.ref} ${template.version} needs answers to ${missingAnswers
          .map(a => `answers.${a.name}`)
          .join(', ')}`,
      );
    }
    const steps = renderSteps(spec.steps, template.ref);
    const directoryContents = template.files.map(file => ({
      path: file.path,
      base64Content: file.content.toString('base64'),
    }));
    const size = template.files.reduce((n, f) => n + f.content.length, 0);
    if (size > MAX_UPLOAD_BYTES) {
      throw new InputError(
        `The directory of ${template.ref} holds ${size} bytes; the scaffolder's dry run takes at most ${MAX_UPLOAD_BYTES}`,
      );
    }

    const { entity } = template;
    const result = await this.dryRun({
      template: {
        apiVersion: entity.apiVersion,
        kind: entity.kind,
        metadata: entity.metadata,
        spec: { ...spec, steps },
      },
      values,
      directoryContents,
    });
    assertNoStepSkipped(result.log ?? [], steps);

    const dir = await fs.mkdtemp(join(os.tmpdir(), 'paved-road-render-'));
    const dispose = () => fs.rm(dir, { recursive: true, force: true });
    try {
      await writeRender(dir, result.directoryContents, request.head);
    } catch (error) {
      await dispose();
      throw error;
    }
    this.deps.logger.info(
      `Rendered ${template.ref} ${template.version}: ${result.directoryContents.length} files`,
    );
    return { dir, template, values, dispose };
  }

  private async dryRun(body: JsonObject): Promise<DryRunResponse> {
    const { discovery, auth } = this.deps;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'scaffolder',
    });
    const response = await fetch(
      `${await discovery.getBaseUrl('scaffolder')}/v2/dry-run`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify(body),
      },
    );
    if (response.status === 400) {
      // The form's jsonschema rejected the answers: say which.
      const payload = await response
        .clone()
        .json()
        .catch(() => undefined);
      if (Array.isArray(payload?.errors)) {
        throw new InputError(
          `The answers do not fit the template: ${payload.errors
            .map((e: { stack?: string; message?: string }) =>
              (e.stack ?? e.message ?? '').replace(/^instance\.?/, 'answers.'),
            )
            .join('; ')}`,
        );
      }
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as DryRunResponse;
  }
}

type DryRunResponse = {
  log?: DryRunLogEntry[];
  directoryContents: Array<{
    path: string;
    executable?: boolean;
    base64Content: string;
  }>;
};

/**
 * Writes the rendered files below `dir`. The upload to the dry run loses
 * file modes, so a file executable on the template branch stays so (or
 * the merge would strip its `+x`); symlinks of the branch are carried over.
 */
async function writeRender(
  dir: string,
  files: DryRunResponse['directoryContents'],
  head: TemplateHeadModes = {},
) {
  const executable = new Set(head.executable ?? []);
  for (const file of files) {
    const target = resolveSafeChildPath(dir, file.path);
    await fs.mkdir(dirname(target), { recursive: true });
    await fs.writeFile(target, Buffer.from(file.base64Content, 'base64'));
    if (file.executable || executable.has(file.path)) {
      await fs.chmod(target, 0o755);
    }
  }
  const rendered = new Set(files.map(f => f.path));
  for (const [path, linkTarget] of head.symlinks ?? []) {
    if (rendered.has(path)) continue;
    const target = resolveSafeChildPath(dir, path);
    await fs.mkdir(dirname(target), { recursive: true });
    await fs.symlink(linkTarget, target);
  }
}
