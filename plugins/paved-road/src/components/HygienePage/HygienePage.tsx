import {
  Content,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  HygieneGroup,
  HygieneItem,
} from '@paved-road/plugin-paved-road-common';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { pavedRoadApiRef } from '../../api/PavedRoadApi';

// An entity that never processed cleanly has no page to link to: say so,
// and where it is defined, which is where it gets fixed.
const EntityName = ({ item }: { item: HygieneItem }) => (
  <>
    {item.inCatalog ? (
      <EntityRefLink entityRef={item.entityRef} hideIcon>
        {item.title}
      </EntityRefLink>
    ) : (
      <Typography variant="body2">{item.title}</Typography>
    )}
    <Typography variant="caption" display="block" color="textSecondary">
      {item.entityRef}
    </Typography>
    {!item.inCatalog && (
      <Typography variant="caption" display="block" color="error">
        Not in the catalog: it has never processed cleanly
        {item.source ? ` (defined in ${item.source})` : ''}
      </Typography>
    )}
  </>
);

const BusinessUnitCard = ({ group }: { group: HygieneGroup }) => {
  const count = group.items.length;
  const title = group.businessUnit ? (
    <>
      Business unit <EntityRefLink entityRef={group.businessUnit} />
    </>
  ) : (
    'No business unit'
  );
  return (
    <InfoCard
      title={title}
      subheader={`${count} ${count === 1 ? 'entity' : 'entities'} to fix`}
      noPadding
    >
      <Table
        size="small"
        aria-label={
          group.businessUnit
            ? `Hygiene problems in ${group.businessUnit}`
            : 'Hygiene problems without a business unit'
        }
      >
        <TableHead>
          <TableRow>
            <TableCell>Entity</TableCell>
            <TableCell>Owner</TableCell>
            <TableCell>Cost center</TableCell>
            <TableCell>Problems</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {group.items.map(item => (
            <TableRow key={item.entityRef}>
              <TableCell>
                <EntityName item={item} />
              </TableCell>
              <TableCell style={{ whiteSpace: 'nowrap' }}>
                {item.owner ?? '—'}
              </TableCell>
              <TableCell style={{ whiteSpace: 'nowrap' }}>
                {item.costCenter ?? '—'}
              </TableCell>
              <TableCell>
                {item.problems.map(problem => (
                  <div
                    key={`${problem.code}:${problem.message}`}
                    style={{ display: 'flex', alignItems: 'center', gap: 8 }}
                  >
                    {/* Enforcement `warn`: the entity still updates */}
                    {problem.severity === 'warning' && (
                      <Chip size="small" label="Warning" />
                    )}
                    <Typography
                      variant="body2"
                      data-problem-code={problem.code}
                      data-severity={problem.severity ?? 'error'}
                    >
                      {problem.message}
                    </Typography>
                  </div>
                ))}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </InfoCard>
  );
};

/**
 * Ops list of entities whose owner or cost center is missing or invalid, or
 * whose deployment descriptor is invalid, one card per business unit. Entities that never processed cleanly are not
 * in the catalog yet, but are listed here all the same, without a link.
 */
export const HygienePage = () => {
  const api = useApi(pavedRoadApiRef);
  const { value, loading, error } = useAsync(() => api.getHygiene(), [api]);

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!value || value.groups.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No hygiene problems"
        description="Every owned entity has an owner that resolves to a business unit and a cost center of that unit, and every project's deploy/paved-road.yaml is valid."
      />
    );
  } else {
    body = (
      <Grid container spacing={3} direction="column">
        {value.groups.map(group => (
          <Grid item key={group.businessUnit ?? 'none'}>
            <BusinessUnitCard group={group} />
          </Grid>
        ))}
      </Grid>
    );
  }

  return <Content>{body}</Content>;
};
