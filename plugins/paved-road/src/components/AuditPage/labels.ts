import type {
  AuditAction,
  AuditOutcome,
} from '@paved-road/plugin-paved-road-common';

export const ACTION_LABELS: Record<AuditAction, string> = {
  'project.created': 'Project created',
  'project.deactivated': 'Project deactivated',
  'project.reactivated': 'Project reactivated',
  'settings.changed': 'Settings changed',
  'deployment.started': 'Deployment started',
  'deployment.finished': 'Deployment finished',
  'deployment.rolled-back': 'Deployment rolled back',
  'environment.torn-down': 'Preview environment torn down',
  'budget.changed': 'Budget changed',
  'template.registered': 'Template registered',
  'upgrade.requested': 'Upgrade requested',
  'upgrade.finished': 'Upgrade finished',
  'upgrade.merged': 'Upgrade merged',
};

export const OUTCOME_LABELS: Record<AuditOutcome, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  denied: 'Denied',
};

/** A newer backend may send an action this build does not know yet. */
export function actionLabel(action: string): string {
  return ACTION_LABELS[action as AuditAction] ?? action;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
});

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : timeFormat.format(date);
}
