export const DEFAULT_SETTINGS_FIELD = 'deployment';

/** What is read of the form's rjsf registry. */
interface Registry {
  rootSchema?: { properties?: unknown };
  schemaUtils?: { getDefaultFormState(schema: never, data: unknown): unknown };
}

function at(data: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        value && typeof value === 'object'
          ? (value as Record<string, unknown>)[key]
          : undefined,
      data,
    );
}

/**
 * The deployment settings as the form holds them, with the page's defaults
 * filled in: the scaffolder only records a page's data once something on it
 * changes, and the estimate must show from the first paint.
 */
export function readSettings(
  formData: unknown,
  path: string,
  registry: Registry | undefined,
): unknown {
  const value = at(formData, path);
  const schema = registry?.rootSchema
    ? at(registry.rootSchema.properties, path.split('.').join('.properties.'))
    : undefined;
  if (!schema || typeof schema !== 'object' || !registry?.schemaUtils) {
    return value;
  }
  return registry.schemaUtils.getDefaultFormState(schema as never, value);
}
