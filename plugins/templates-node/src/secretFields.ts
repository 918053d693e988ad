import { JsonObject } from '@backstage/types';

/** Form fields whose values are passwords even outside `secrets`. */
function isSecretField(schema: JsonObject): boolean {
  const review = (schema['ui:backstage'] as JsonObject | undefined)?.review as
    | JsonObject
    | undefined;
  return (
    schema['ui:field'] === 'Secret' ||
    schema['ui:widget'] === 'password' ||
    schema.format === 'password' ||
    review?.mask !== undefined
  );
}

/**
 * The paths (`['deployment', 'token']`) of the secret-like fields of a
 * template's `spec.parameters` (one page or a list of pages): their values
 * are never stored with a project's answers nor accepted for an upgrade.
 *
 * @public
 */
export function secretFieldPaths(parameters: unknown): string[][] {
  const pages = (Array.isArray(parameters) ? parameters : [parameters]).filter(
    (page): page is JsonObject => !!page && typeof page === 'object',
  );
  const paths: string[][] = [];
  const walk = (schema: JsonObject, prefix: string[]) => {
    const properties = schema.properties;
    if (!properties || typeof properties !== 'object') return;
    for (const [key, child] of Object.entries(properties as JsonObject)) {
      if (!child || typeof child !== 'object' || Array.isArray(child)) continue;
      if (isSecretField(child)) {
        paths.push([...prefix, key]);
      } else {
        walk(child, [...prefix, key]);
      }
    }
  };
  pages.forEach(page => walk(page, []));
  return paths;
}
