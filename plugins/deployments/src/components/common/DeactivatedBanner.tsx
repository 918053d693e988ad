import { parseEntityRef } from '@backstage/catalog-model';
import {
  EntityRefLink,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import Alert from '@material-ui/lab/Alert';
import type { ProjectState } from '@paved-road/plugin-deployments-common';
import { formatDateTime } from '../../lib/format';

/**
 * Who deactivated a project and when, as one sentence for tooltips; `toDo`
 * is what reactivating allows, e.g. `deploy it`.
 */
export function deactivatedReason(
  project: ProjectState,
  toDo: string = 'change its settings',
): string {
  const who = project.deactivatedBy
    ? humanizeEntityRef(parseEntityRef(project.deactivatedBy), {
        defaultKind: 'user',
      })
    : 'someone';
  const when = project.deactivatedAt
    ? ` at ${formatDateTime(project.deactivatedAt)}`
    : '';
  return `This project was deactivated by ${who}${when}: reactivate it to ${toDo}`;
}

/** Says that a project is deactivated, by whom and since when. */
export function DeactivatedBanner(props: { project: ProjectState }) {
  const { deactivatedBy, deactivatedAt } = props.project;
  return (
    <Alert severity="warning" data-testid="deactivated-banner">
      This project is deactivated
      {deactivatedBy && (
        <>
          {' '}
          by <EntityRefLink entityRef={deactivatedBy} defaultKind="user" />
        </>
      )}
      {deactivatedAt && <> since {formatDateTime(deactivatedAt)}</>}. Its
      settings cannot change and it cannot be deployed until it is reactivated.
    </Alert>
  );
}
