import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import type { DailyCost } from '@paved-road/plugin-costs-common';
import { formatDay, formatMoney } from '../../lib/format';

/** The last `days` days of a report, newest first. */
export function RecentCostTable(props: {
  daily: DailyCost[];
  currency: string;
  days: number;
}) {
  const recent = props.daily.slice(-props.days).reverse();
  return (
    <Table size="small" aria-label={`Cost of the last ${recent.length} days`}>
      <TableHead>
        <TableRow>
          <TableCell>Day</TableCell>
          <TableCell align="right">Cost</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {recent.map(day => (
          <TableRow key={day.date}>
            <TableCell>
              <time dateTime={day.date}>{formatDay(day.date)}</time>
            </TableCell>
            <TableCell align="right">
              {formatMoney(day.amount, props.currency)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
