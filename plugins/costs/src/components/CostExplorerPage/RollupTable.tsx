import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableFooter from '@material-ui/core/TableFooter';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  RollupGroupBy,
  RollupItem,
  RollupResponse,
} from '@paved-road/plugin-costs-common';
import { formatChange, formatMoney } from '../../lib/format';
import { LEVEL_LABELS, nextLevel } from './explorerState';

function GroupName(props: {
  item: RollupItem;
  groupBy: RollupGroupBy;
  onOpen: (item: RollupItem) => void;
}) {
  const { item, groupBy, onOpen } = props;
  const next = nextLevel(groupBy);
  if (next) {
    return (
      <Link
        component="button"
        variant="body2"
        onClick={() => onOpen(item)}
        aria-label={`Open ${item.title}: cost by ${LEVEL_LABELS[
          next
        ].toLowerCase()}`}
      >
        {item.title}
      </Link>
    );
  }
  return item.entityRef ? (
    <EntityRefLink entityRef={item.entityRef} hideIcon>
      {item.title}
    </EntityRefLink>
  ) : (
    <>{item.title}</>
  );
}

/**
 * The groups of a roll-up with their total, the previous period's and the
 * change, then the cost no service could be charged with, then the sum.
 * A group opens into the next dimension down.
 */
export function RollupTable(props: {
  report: RollupResponse;
  groupBy: RollupGroupBy;
  onOpen: (item: RollupItem) => void;
  /** Key of a row to mark as selected. */
  highlight?: string;
}) {
  const { report, groupBy, onOpen, highlight } = props;
  const money = (amount: number) => formatMoney(amount, report.currency);
  const sum = (pick: (i: { total: number; previousTotal: number }) => number) =>
    report.items.reduce((acc, item) => acc + pick(item), 0) +
    pick(report.unallocated);
  const total = sum(i => i.total);
  const previous = sum(i => i.previousTotal);

  return (
    <Table
      size="small"
      aria-label={`Cost by ${LEVEL_LABELS[groupBy].toLowerCase()}`}
    >
      <TableHead>
        <TableRow>
          <TableCell>{LEVEL_LABELS[groupBy]}</TableCell>
          <TableCell align="right">Total</TableCell>
          <TableCell align="right">Previous period</TableCell>
          <TableCell align="right">Change</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {report.items.map(item => (
          <TableRow
            key={item.key}
            data-key={item.key}
            selected={item.key === highlight}
            aria-selected={item.key === highlight}
          >
            <TableCell component="th" scope="row">
              <GroupName item={item} groupBy={groupBy} onOpen={onOpen} />
            </TableCell>
            <TableCell align="right">{money(item.total)}</TableCell>
            <TableCell align="right">{money(item.previousTotal)}</TableCell>
            <TableCell align="right">
              {formatChange(item.total, item.previousTotal, report.currency)}
            </TableCell>
          </TableRow>
        ))}
        <TableRow data-key="unallocated">
          <TableCell component="th" scope="row">
            Unallocated
            <Typography variant="caption" display="block" color="textSecondary">
              Billed, but matched to no service
            </Typography>
          </TableCell>
          <TableCell align="right">{money(report.unallocated.total)}</TableCell>
          <TableCell align="right">
            {money(report.unallocated.previousTotal)}
          </TableCell>
          <TableCell align="right">
            {formatChange(
              report.unallocated.total,
              report.unallocated.previousTotal,
              report.currency,
            )}
          </TableCell>
        </TableRow>
      </TableBody>
      <TableFooter>
        <TableRow>
          <TableCell component="th" scope="row">
            Total
          </TableCell>
          <TableCell align="right">{money(total)}</TableCell>
          <TableCell align="right">{money(previous)}</TableCell>
          <TableCell align="right">
            {formatChange(total, previous, report.currency)}
          </TableCell>
        </TableRow>
      </TableFooter>
    </Table>
  );
}
