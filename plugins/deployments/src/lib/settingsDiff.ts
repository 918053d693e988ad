import type { DeploymentSettings } from '@paved-road/plugin-paved-road-common';
import { formatFieldValue, getAt, settingsFields } from './settingsFields';

/** One setting whose value differs between two versions. */
export interface SettingsChange {
  path: string;
  label: string;
  before: string;
  after: string;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The settings that differ from `before` to `after`, in schema order. */
export function diffSettings(
  before: DeploymentSettings,
  after: DeploymentSettings,
): SettingsChange[] {
  return settingsFields
    .filter(
      field => !sameValue(getAt(before, field.path), getAt(after, field.path)),
    )
    .map(field => ({
      path: field.path,
      label: field.label,
      before: formatFieldValue(field, getAt(before, field.path)),
      after: formatFieldValue(field, getAt(after, field.path)),
    }));
}
