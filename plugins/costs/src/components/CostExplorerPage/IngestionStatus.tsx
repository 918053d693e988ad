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
import type { IngestionStatusItem } from '../../api/types';
import { formatNumber, formatTimestamp } from '../../lib/format';

// A file with thousands of bad rows says so in its count; the first ones
// are enough to see what is wrong with it.
const SHOWN_REJECTIONS = 20;

const STATUS_LABELS: Record<IngestionStatusItem['status'], string> = {
  ingested: 'Ingested',
  unchanged: 'Unchanged',
  rejected: 'Rejected whole: the previous version stays',
};

function Rejections({ run }: { run: IngestionStatusItem }) {
  const { rejected, rejectedCount } = run;
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
      {rejectedCount > SHOWN_REJECTIONS && (
        <li>
          <Typography variant="caption" color="textSecondary">
            and {formatNumber(rejectedCount - SHOWN_REJECTIONS)} more
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
          <TableCell>File</TableCell>
          <TableCell>Ingested</TableCell>
          <TableCell>Status</TableCell>
          <TableCell align="right">Rows</TableCell>
          <TableCell>Rows rejected</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {value.items.map(run => (
          <TableRow key={`${run.sourceId}:${run.file}`}>
            <TableCell component="th" scope="row">
              {run.file}
              <Typography
                variant="caption"
                display="block"
                color="textSecondary"
              >
                Source {run.sourceId}
              </Typography>
            </TableCell>
            <TableCell>
              {formatTimestamp(run.ingestedAt)}
              {run.checkedAt && (
                <Typography
                  variant="caption"
                  display="block"
                  color="textSecondary"
                >
                  Unchanged at {formatTimestamp(run.checkedAt)}
                </Typography>
              )}
            </TableCell>
            <TableCell>{STATUS_LABELS[run.status]}</TableCell>
            <TableCell align="right">{formatNumber(run.rowCount)}</TableCell>
            <TableCell>
              {formatNumber(run.rejectedCount)}
              <Rejections run={run} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
