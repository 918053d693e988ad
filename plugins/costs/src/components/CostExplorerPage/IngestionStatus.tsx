import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { costsApiRef } from '../../api/CostsApi';
import type { IngestionRun } from '../../api/types';
import { formatNumber, formatTimestamp } from '../../lib/format';

// A file with thousands of bad rows says so in its count; the first ones
// are enough to see what is wrong with it.
const SHOWN_REJECTIONS = 20;

function Rejections({ run }: { run: IngestionRun }) {
  const rejected = run.rejectedRows ?? [];
  if (rejected.length === 0) {
    return null;
  }
  return (
    <Box component="ul" margin={0} paddingLeft={2}>
      {rejected.slice(0, SHOWN_REJECTIONS).map(row => (
        <li key={row.line}>
          <Typography variant="caption">
            Line {row.line}: {row.reason}
          </Typography>
        </li>
      ))}
      {rejected.length > SHOWN_REJECTIONS && (
        <li>
          <Typography variant="caption" color="textSecondary">
            and {formatNumber(rejected.length - SHOWN_REJECTIONS)} more
          </Typography>
        </li>
      )}
    </Box>
  );
}

/**
 * The last ingestion of each billing export: when, how many rows went in,
 * and the rows refused with their line numbers.
 */
export function IngestionStatus() {
  const costsApi = useApi(costsApiRef);
  const { value, loading, error } = useAsync(
    () => costsApi.getIngestions(),
    [costsApi],
  );
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!value?.items.length) {
    return (
      <Typography color="textSecondary">
        No billing export has been ingested yet.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Ingestions">
      <TableHead>
        <TableRow>
          <TableCell>Export</TableCell>
          <TableCell>Ingested</TableCell>
          <TableCell>Status</TableCell>
          <TableCell align="right">Rows ingested</TableCell>
          <TableCell>Rows rejected</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {value.items.map(run => (
          <TableRow key={`${run.source}:${run.location ?? ''}`}>
            <TableCell component="th" scope="row">
              {run.source}
              {run.location && (
                <Typography
                  variant="caption"
                  display="block"
                  color="textSecondary"
                >
                  {run.location}
                </Typography>
              )}
            </TableCell>
            <TableCell>
              {run.ingestedAt ? formatTimestamp(run.ingestedAt) : 'Never'}
            </TableCell>
            <TableCell>
              {run.status ?? '—'}
              {run.message && (
                <Typography variant="caption" display="block" color="error">
                  {run.message}
                </Typography>
              )}
            </TableCell>
            <TableCell align="right">
              {run.acceptedRows === undefined
                ? '—'
                : formatNumber(run.acceptedRows)}
            </TableCell>
            <TableCell>
              {formatNumber(run.rejectedRows?.length ?? 0)}
              <Rejections run={run} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
