import {
  deploymentSettingsSchema,
  type DeploymentSettings,
} from '@paved-road/plugin-paved-road-common';
import { z } from 'zod';

/** The part of JSON Schema that `z.toJSONSchema` emits for the settings. */
interface JsonSchemaNode {
  type?: string;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

interface FieldBase {
  /** Dot path into the settings, e.g. `rollout.canaryPercent`. */
  path: string;
  label: string;
  /** Hides the field while it does not apply; its value is kept. */
  shownWhen?: (draft: SettingsDraft) => boolean;
}

/** One input of the settings form, with the bounds the schema sets. */
export type SettingsField =
  | (FieldBase & { kind: 'text' })
  | (FieldBase & {
      kind: 'integer';
      min?: number;
      max?: number;
      unit?: string;
    })
  | (FieldBase & { kind: 'select'; options: string[] })
  | (FieldBase & {
      kind: 'list';
      itemLabel: string;
      minItems: number;
      maxItems?: number;
    });

/**
 * Settings as the form holds them while the user types: the shape of
 * {@link DeploymentSettings}, but any value may be missing or out of bounds.
 */
export type SettingsDraft = { [key: string]: unknown };

/**
 * What the schema cannot say: how each field reads to a person. Fields the
 * schema gains later still get an input, labelled from their key.
 */
const presentation: Record<
  string,
  {
    label: string;
    unit?: string;
    itemLabel?: string;
    shownWhen?: (draft: SettingsDraft) => boolean;
  }
> = {
  cluster: { label: 'Cluster' },
  replicas: { label: 'Replicas' },
  cpuMillicores: { label: 'CPU', unit: 'millicores' },
  memoryMiB: { label: 'Memory', unit: 'MiB' },
  regions: { label: 'Regions', itemLabel: 'Region' },
  'rollout.strategy': { label: 'Rollout strategy' },
  'rollout.canaryPercent': {
    label: 'Canary share',
    unit: '%',
    shownWhen: draft => getAt(draft, 'rollout.strategy') === 'canary',
  },
  'rollout.healthCheckPath': { label: 'Health check path' },
};

function labelFromKey(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLocaleLowerCase();
  return words.charAt(0).toLocaleUpperCase() + words.slice(1);
}

function fieldsOf(node: JsonSchemaNode, prefix: string): SettingsField[] {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (child.type === 'object') {
      return fieldsOf(child, path);
    }
    const { label = labelFromKey(key), ...shown } = presentation[path] ?? {};
    const base = { path, label, shownWhen: shown.shownWhen };
    if (child.type === 'string' && child.enum) {
      return [{ ...base, kind: 'select' as const, options: child.enum }];
    }
    if (child.type === 'string') {
      return [{ ...base, kind: 'text' as const }];
    }
    if (child.type === 'integer') {
      return [
        {
          ...base,
          kind: 'integer' as const,
          min: child.minimum,
          max: child.maximum,
          unit: shown.unit,
        },
      ];
    }
    if (child.type === 'array' && child.items?.type === 'string') {
      return [
        {
          ...base,
          kind: 'list' as const,
          itemLabel: shown.itemLabel ?? 'Item',
          minItems: child.minItems ?? 0,
          maxItems: child.maxItems,
        },
      ];
    }
    // Fail loudly (and in the tests) rather than drop a setting from the form.
    throw new Error(`The settings form cannot edit ${path} (${child.type})`);
  });
}

/**
 * Every field of `deploymentSettingsSchema`, in schema order, read from its
 * JSON Schema form so bounds and options come from the one schema.
 */
export const settingsFields: SettingsField[] = fieldsOf(
  z.toJSONSchema(deploymentSettingsSchema, { io: 'input' }) as JsonSchemaNode,
  '',
);

/** The value at a dot path, or undefined. */
export function getAt(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        node !== null && typeof node === 'object'
          ? (node as Record<string, unknown>)[key]
          : undefined,
      value,
    );
}

/** A copy of `draft` with `value` at the dot path. */
export function setAt(
  draft: SettingsDraft,
  path: string,
  value: unknown,
): SettingsDraft {
  const [key, ...rest] = path.split('.');
  if (rest.length === 0) {
    return { ...draft, [key]: value };
  }
  const child = draft[key];
  return {
    ...draft,
    [key]: setAt(
      child !== null && typeof child === 'object'
        ? (child as SettingsDraft)
        : {},
      rest.join('.'),
      value,
    ),
  };
}

/** Result of checking a draft against the schema. */
export type DraftValidation =
  | { valid: true; settings: DeploymentSettings; errors: Record<string, never> }
  | { valid: false; errors: Record<string, string> };

/**
 * Checks a draft with `deploymentSettingsSchema` itself; errors are keyed by
 * dot path (`regions.2` for one region, `regions` for the list).
 */
export function validateDraft(draft: SettingsDraft): DraftValidation {
  const result = deploymentSettingsSchema.safeParse(draft);
  if (result.success) {
    return { valid: true, settings: result.data, errors: {} };
  }
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.join('.');
    errors[path] ??= issue.message;
  }
  return { valid: false, errors };
}

/** A settings value as a person reads it, e.g. `512 MiB`. */
export function formatFieldValue(field: SettingsField, value: unknown): string {
  if (value === undefined || value === null || value === '') {
    return '—';
  }
  if (Array.isArray(value)) {
    return value.join(', ');
  }
  if (field.kind === 'integer' && field.unit) {
    return field.unit === '%' ? `${value}%` : `${value} ${field.unit}`;
  }
  return String(value);
}
