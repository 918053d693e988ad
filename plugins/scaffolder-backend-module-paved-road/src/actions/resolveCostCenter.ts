import { AuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_COST_CENTERS,
  COST_CENTER_PATTERN,
  OwnershipProblem,
  indexGroups,
  resolveOwnership,
} from '@paved-road/plugin-paved-road-common';
import { examples } from './resolveCostCenter.examples';

// Only what resolution reads.
const GROUP_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'spec.type',
  'spec.parent',
];

/**
 * @public
 * Creates the `paved-road:cost-center:resolve` action: finds the business
 * unit above an owner group and validates (or defaults) the cost center, so a
 * new project never starts with a cost center its unit does not own.
 */
export function createResolveCostCenterAction(options: {
  catalog: CatalogService;
  auth: AuthService;
  costCenterPattern?: RegExp;
}) {
  const { catalog, auth } = options;
  const pattern = options.costCenterPattern ?? COST_CENTER_PATTERN;

  return createTemplateAction({
    id: 'paved-road:cost-center:resolve',
    description:
      "Resolves the owner's business unit through the catalog and validates or defaults the cost center.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        owner: z =>
          z.string({
            description:
              'Owning Group as an entity ref, e.g. group:default/checkout (kind and namespace default to group and default).',
          }),
        costCenter: z =>
          z
            .string({
              description:
                "Cost center to bill, e.g. CC-1001. Must belong to the owner's business unit; when empty, the unit's default (its first cost center) is used.",
            })
            .optional(),
      },
      output: {
        businessUnit: z =>
          z.string({
            description:
              'Entity ref of the business-unit Group, e.g. group:default/payments.',
          }),
        costCenter: z =>
          z.string({
            description: 'The validated (or defaulted) cost center.',
          }),
        costCenters: z =>
          z.array(z.string(), {
            description:
              'All valid cost centers of the business unit, default first.',
          }),
      },
    },
    // Read-only, so dry runs resolve for real and preview the outputs.
    async handler(ctx) {
      const { owner } = ctx.input;
      if (typeof owner !== 'string' || !owner.trim()) {
        throw new InputError('input.owner is required: the owning Group');
      }
      const requested = ctx.input.costCenter?.trim() || undefined;

      // The organisation is reference data every template user needs to see
      // in full, so it is read with the module's own service credentials.
      const { items } = await catalog.getEntities(
        { filter: { kind: 'Group' }, fields: GROUP_FIELDS },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      const result = resolveOwnership({
        owner: owner.trim(),
        costCenter: requested,
        groups: indexGroups(items),
        costCenterPattern: pattern,
      });
      if (
        result.problems.length > 0 ||
        !result.businessUnit ||
        !result.costCenter
      ) {
        throw new InputError(result.problems.map(describe).join('; '));
      }

      ctx.logger.info(
        `Owner ${result.businessUnit.owner} belongs to ${
          result.businessUnit.businessUnit
        }; cost center ${result.costCenter}${
          result.costCenterDefaulted ? ' (default)' : ''
        }`,
      );
      ctx.output('businessUnit', result.businessUnit.businessUnit);
      ctx.output('costCenter', result.costCenter);
      ctx.output('costCenters', result.businessUnit.costCenters);
    },
  });
}

function describe(problem: OwnershipProblem): string {
  switch (problem.code) {
    case 'missing-owner':
    case 'unknown-owner':
    case 'no-business-unit':
      return `input.owner: ${problem.message}`;
    case 'no-cost-centers':
      return `input.costCenter: not given, and business unit ${problem.businessUnit} has no default in its ${ANNOTATION_COST_CENTERS} annotation`;
    default:
      return `input.costCenter: ${problem.message}`;
  }
}
