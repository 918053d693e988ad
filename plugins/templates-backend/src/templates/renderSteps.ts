import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';

/** A step of a template's `spec.steps`. */
export type TemplateStep = JsonObject & { id?: string; action: string };

/** Fails an existing project's dry run: the project's entity exists. */
const NAME_CHECK_ACTION = 'paved-road:catalog:assert-name-free';

function isPublishStep(step: TemplateStep): boolean {
  return (
    step.action === 'paved-road:publish' || step.action.startsWith('publish:')
  );
}

/**
 * The steps that render a project: those before the first publish step
 * (`paved-road:publish`, `publish:*`), less the name check. Template
 * authors keep everything before publishing to the task workspace, so
 * these steps can be replayed in a dry run for a project that exists.
 */
export function renderSteps(
  steps: unknown,
  templateRef: string,
): TemplateStep[] {
  if (!Array.isArray(steps)) {
    throw new InputError(`${templateRef} has no spec.steps`);
  }
  const all = steps as TemplateStep[];
  const publish = all.findIndex(isPublishStep);
  if (publish < 0) {
    throw new InputError(
      `${templateRef} has no publish step (paved-road:publish or publish:*): its projects cannot be upgraded`,
    );
  }
  return all
    .slice(0, publish)
    .filter(step => step.action !== NAME_CHECK_ACTION);
}

/** A line of the dry run's log. */
export type DryRunLogEntry = {
  body: { message?: string; stepId?: string; status?: string };
};

/**
 * Fails, naming the step, when the dry run skipped a step for not
 * supporting dry runs: the scaffolder then makes up example outputs, so
 * the render could be silently wrong. A step whose `if` was false is
 * skipped on purpose and is fine.
 */
export function assertNoStepSkipped(
  log: DryRunLogEntry[],
  steps: TemplateStep[],
): void {
  for (const { body } of log) {
    if (body.status !== 'skipped') continue;
    if (/if condition was false/.test(body.message ?? '')) continue;
    const step = steps.find(s => s.id === body.stepId);
    throw new InputError(
      `Step ${body.stepId}${
        step ? ` (${step.action})` : ''
      } was skipped in the dry run that renders the template: ${
        body.message
      }. Steps before publishing must support dry runs for projects to be upgradable.`,
    );
  }
}
