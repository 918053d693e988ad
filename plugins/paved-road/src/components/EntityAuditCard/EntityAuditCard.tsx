import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import type { PavedRoadProject } from '../../api/PavedRoadApi';
import { pavedRoadApiRef } from '../../api/PavedRoadApi';
import { Actor } from '../AuditPage/Actor';
import { actionLabel, formatTime } from '../AuditPage/labels';
import { OutcomeChip } from '../AuditPage/OutcomeChip';
import { auditRouteRef } from '../../routes';

/** How many events the card shows; the audit page has the rest. */
export const RECENT_EVENTS = 10;

const Origin = ({ project }: { project: PavedRoadProject }) => (
  <>
    Created {formatTime(project.createdAt)} by{' '}
    <EntityRefLink entityRef={project.createdBy} /> from{' '}
    <EntityRefLink entityRef={project.templateRef} />
    {project.templateVersion ? ` ${project.templateVersion}` : ''} ·{' '}
    <Link to={project.repoUrl}>repository</Link>
  </>
);

/**
 * The last audit events of the current entity, with how the project was
 * created when a template made it, and a link to all of its events.
 */
export const EntityAuditCard = () => {
  const { entity } = useEntity();
  const api = useApi(pavedRoadApiRef);
  const auditPage = useRouteRef(auditRouteRef);
  const entityRef = stringifyEntityRef(entity);

  const { value, loading, error } = useAsync(
    async () =>
      Promise.all([
        api.listAuditEvents({ entityRef }, { limit: RECENT_EVENTS }),
        api.getProject(entityRef),
      ]),
    [api, entityRef],
  );

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error || !value) {
    body = <ResponseErrorPanel error={error ?? new Error('No data')} />;
  } else if (value[0].items.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No activity recorded yet.
      </Typography>
    );
  } else {
    body = (
      <List dense disablePadding aria-label="Recent activity">
        {value[0].items.map(event => (
          <ListItem key={event.id} disableGutters>
            <ListItemText
              primary={event.summary}
              secondary={
                <>
                  {formatTime(event.occurredAt)} · {actionLabel(event.action)} ·{' '}
                  <Actor actor={event.actor} />
                </>
              }
            />
            <ListItemSecondaryAction>
              <OutcomeChip outcome={event.outcome} />
            </ListItemSecondaryAction>
          </ListItem>
        ))}
      </List>
    );
  }

  const query = new URLSearchParams({ entityRef });
  return (
    <InfoCard
      title="Recent activity"
      subheader={value?.[1] ? <Origin project={value[1]} /> : undefined}
      deepLink={{
        title: 'View all activity',
        link: `${auditPage()}?${query}`,
      }}
    >
      {body}
    </InfoCard>
  );
};
