import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ANNOTATION_TEMPLATE_VERSION } from '@paved-road/plugin-paved-road-common';

/** The annotation the scaffolder writes on entities a template made. */
export const ANNOTATION_SOURCE_TEMPLATE = 'backstage.io/source-template';

/**
 * The template an entity is about, and which version of it: the template
 * itself, or the one a project was made from (its `backstage.io/source-template`
 * and `paved-road.io/template-version`). Undefined for other entities.
 */
export function templateOfEntity(
  entity: Entity,
): { templateRef: string; version?: string; entityRef?: string } | undefined {
  if (entity.kind.toLocaleLowerCase('en-US') === 'template') {
    return {
      templateRef: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
    };
  }
  const source = entity.metadata.annotations?.[ANNOTATION_SOURCE_TEMPLATE];
  if (!source) {
    return undefined;
  }
  try {
    const templateRef = stringifyEntityRef(
      parseEntityRef(source, {
        defaultKind: 'template',
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
    return {
      templateRef,
      version: entity.metadata.annotations?.[ANNOTATION_TEMPLATE_VERSION],
      entityRef: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
    };
  } catch {
    return undefined;
  }
}

/**
 * Whether the template health card applies: a template, or a project made
 * from one. For `EntitySwitch.Case if={isTemplateHealthAvailable}`.
 *
 * @public
 */
export function isTemplateHealthAvailable(entity: Entity): boolean {
  return templateOfEntity(entity) !== undefined;
}
