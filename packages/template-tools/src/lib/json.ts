/** A YAML or JSON mapping as the template file holds it. */
export type JsonObject = { [key: string]: unknown };

/** Where a value sits in template.yaml: keys and list indexes. */
export type YamlPath = Array<string | number>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Calls `fn` with every string below `value` and its path. */
export function walkStrings(
  value: unknown,
  path: YamlPath,
  fn: (text: string, path: YamlPath) => void,
): void {
  if (typeof value === 'string') {
    fn(value, path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walkStrings(v, [...path, i], fn));
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value))
      walkStrings(v, [...path, k], fn);
  }
}
