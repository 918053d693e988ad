import {
  Content,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import DownloadIcon from '@material-ui/icons/GetApp';
import Alert from '@material-ui/lab/Alert';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { pavedRoadApiRef } from '../../api/PavedRoadApi';
import { AuditEventsTable } from './AuditEventsTable';
import { AuditFilters } from './AuditFilters';
import { saveBlob } from './download';
import {
  type AuditPageFilters,
  filtersFromSearch,
  filtersToSearch,
  toApiFilters,
} from './filters';
import { useAuditEvents } from './useAuditEvents';

// The server's own words ("not allowed…"), not "Request failed with 403".
function reason(error: Error) {
  return error instanceof ResponseError
    ? error.body.error.message
    : error.message;
}

function useExport(filters: AuditPageFilters) {
  const api = useApi(pavedRoadApiRef);
  const [state, setState] = useState<{ busy: boolean; error?: Error }>({
    busy: false,
  });
  const run = async () => {
    setState({ busy: true });
    try {
      const blob = await api.exportAuditEvents(toApiFilters(filters));
      const day = new Date().toISOString().slice(0, 10);
      saveBlob(blob, `audit-trail-${day}.csv`);
      setState({ busy: false });
    } catch (error) {
      setState({ busy: false, error: error as Error });
    }
  };
  return { ...state, run };
}

/**
 * The Paved Road audit trail: who did what to which entity, with the
 * entity's owner, business unit and cost center at that moment. The filters
 * live in the URL query, so a filtered view is a link to share.
 */
export const AuditPage = () => {
  const [searchParams, setSearchParams] = useSearchParams();
  const search = searchParams.toString();
  const filters = useMemo(
    () => filtersFromSearch(new URLSearchParams(search)),
    [search],
  );
  const apiFilters = useMemo(() => toApiFilters(filters), [filters]);
  const events = useAuditEvents(apiFilters);
  const csv = useExport(filters);

  let body;
  if (events.items.length === 0 && events.loading) {
    body = <Progress />;
  } else if (events.items.length === 0 && events.error) {
    body = <ResponseErrorPanel error={events.error} />;
  } else if (events.items.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No audit events"
        description="Nothing recorded matches these filters."
      />
    );
  } else {
    body = (
      <>
        <AuditEventsTable events={events.items} />
        {events.error && <ResponseErrorPanel error={events.error} />}
        {events.nextCursor && (
          <Box display="flex" justifyContent="center" p={2}>
            <Button
              variant="outlined"
              disabled={events.loading}
              onClick={events.loadMore}
            >
              {events.loading ? 'Loading…' : 'Load more'}
            </Button>
          </Box>
        )}
      </>
    );
  }

  return (
    <Content>
      <Grid container spacing={3} direction="column">
        <Grid item>
          <InfoCard>
            <AuditFilters
              value={filters}
              onApply={next => setSearchParams(filtersToSearch(next))}
            />
          </InfoCard>
        </Grid>
        <Grid item>
          <InfoCard
            title="Audit events"
            subheader="Newest first"
            noPadding
            action={
              <Button
                startIcon={<DownloadIcon />}
                disabled={csv.busy}
                onClick={csv.run}
              >
                Export CSV
              </Button>
            }
          >
            {csv.error && (
              <Alert severity="error">
                The export failed: {reason(csv.error)}
              </Alert>
            )}
            {body}
          </InfoCard>
        </Grid>
      </Grid>
    </Content>
  );
};
