import {
  ANNOTATION_DEACTIVATED_AT,
  ANNOTATION_DEACTIVATED_BY,
  ANNOTATION_LIFECYCLE_BEFORE_DEACTIVATION,
  DEACTIVATED_LIFECYCLE,
} from '@paved-road/plugin-deployments-common';
import {
  DEPLOYMENT_SETTINGS_API_VERSION,
  DeploymentSettings,
  deploymentSettingsSchema,
} from '@paved-road/plugin-paved-road-common';
import { Document, isMap, parseAllDocuments, parseDocument } from 'yaml';
import { z } from 'zod';

/*
 * Edits go through the yaml package's Document model: only the nodes whose
 * values change are touched, so comments, key order and quoting of
 * everything else stay as the author wrote them.
 */

const DESCRIPTOR_KIND = 'DeploymentSettings';

/** The lifecycle reactivation restores when none was recorded. */
const DEFAULT_LIFECYCLE = 'production';

const descriptorSchema = z.object({
  apiVersion: z.literal(DEPLOYMENT_SETTINGS_API_VERSION),
  kind: z.literal(DESCRIPTOR_KIND),
  spec: deploymentSettingsSchema,
});

/** `spec.replicas: Too small...`: the field first, as the UI shows it. */
export function formatZodIssue(
  issue: { path: PropertyKey[]; message: string },
  prefix?: string,
): string {
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Reads a descriptor's settings, or says which field is wrong. */
export function parseDescriptor(
  text: string,
): { settings: DeploymentSettings } | { error: string } {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    return { error: `invalid YAML: ${doc.errors[0].message}` };
  }
  const parsed = descriptorSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    return { error: formatZodIssue(parsed.error.issues[0]) };
  }
  return { settings: parsed.data.spec };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Applies `next` under `path`, touching only the values that differ. */
function applyValue(
  doc: Document,
  path: (string | number)[],
  current: unknown,
  next: unknown,
) {
  if (isPlainObject(next) && isPlainObject(current)) {
    for (const [key, value] of Object.entries(next)) {
      applyValue(doc, [...path, key], current[key], value);
    }
    return;
  }
  if (Array.isArray(next) && Array.isArray(current)) {
    next.forEach((item, i) => {
      if (i < current.length) {
        applyValue(doc, [...path, i], current[i], item);
      } else {
        doc.addIn(path, item);
      }
    });
    for (let i = current.length - 1; i >= next.length; i--) {
      doc.deleteIn([...path, i]);
    }
    return;
  }
  if (JSON.stringify(current) !== JSON.stringify(next)) {
    doc.setIn(path, next);
  }
}

/**
 * The descriptor with `spec` set to `settings`. Throws when the file is not
 * a descriptor at all; callers check its current values first.
 */
export function editDescriptor(
  text: string,
  settings: DeploymentSettings,
): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    throw new Error('The deployment descriptor is not a YAML mapping');
  }
  const current = (doc.toJS() as { spec?: unknown }).spec;
  if (!isPlainObject(current)) {
    doc.setIn(['spec'], settings);
  } else {
    applyValue(doc, ['spec'], current, settings);
  }
  return doc.toString();
}

/** A deactivation to write, or null to write a reactivation. */
export type Deactivation = { by: string; at: string } | null;

/**
 * catalog-info.yaml (possibly several documents) with the entity named by
 * kind and name deactivated or reactivated. Returns the text unchanged when
 * the entity is in that state already, and throws when it is not in the file.
 */
export function editCatalogInfo(
  text: string,
  entity: { kind: string; name: string },
  deactivation: Deactivation,
): string {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) {
    throw new Error('catalog-info.yaml is not valid YAML');
  }
  const same = (a: unknown, b: string) =>
    typeof a === 'string' && a.toLocaleLowerCase('en-US') === b.toLowerCase();
  const doc = docs.find(d => {
    const value = d.toJS() as { kind?: unknown; metadata?: { name?: unknown } };
    return (
      same(value?.kind, entity.kind) && same(value?.metadata?.name, entity.name)
    );
  });
  if (!doc) {
    throw new Error(
      `catalog-info.yaml has no ${entity.kind} named ${entity.name}`,
    );
  }

  const annotations = ['metadata', 'annotations'];
  const lifecycle = doc.getIn(['spec', 'lifecycle']);
  const deactivatedBy = doc.getIn([...annotations, ANNOTATION_DEACTIVATED_BY]);
  if (deactivation) {
    if (deactivatedBy !== undefined && lifecycle === DEACTIVATED_LIFECYCLE) {
      return text;
    }
    if (lifecycle !== DEACTIVATED_LIFECYCLE) {
      doc.setIn(
        [...annotations, ANNOTATION_LIFECYCLE_BEFORE_DEACTIVATION],
        typeof lifecycle === 'string' ? lifecycle : DEFAULT_LIFECYCLE,
      );
    }
    doc.setIn(['spec', 'lifecycle'], DEACTIVATED_LIFECYCLE);
    doc.setIn([...annotations, ANNOTATION_DEACTIVATED_BY], deactivation.by);
    doc.setIn([...annotations, ANNOTATION_DEACTIVATED_AT], deactivation.at);
  } else {
    if (deactivatedBy === undefined && lifecycle !== DEACTIVATED_LIFECYCLE) {
      return text;
    }
    const before = doc.getIn([
      ...annotations,
      ANNOTATION_LIFECYCLE_BEFORE_DEACTIVATION,
    ]);
    doc.setIn(
      ['spec', 'lifecycle'],
      typeof before === 'string' ? before : DEFAULT_LIFECYCLE,
    );
    for (const key of [
      ANNOTATION_DEACTIVATED_BY,
      ANNOTATION_DEACTIVATED_AT,
      ANNOTATION_LIFECYCLE_BEFORE_DEACTIVATION,
    ]) {
      doc.deleteIn([...annotations, key]);
    }
  }
  return docs.map(d => d.toString()).join('');
}
