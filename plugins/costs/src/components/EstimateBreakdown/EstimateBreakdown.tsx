import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableFooter from '@material-ui/core/TableFooter';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import type { CostEstimate } from '@paved-road/plugin-costs-common';
import { formatMoney, formatNumber } from '../../lib/format';

/**
 * The lines of an estimate, one per region: replicas, vCPU-hours and
 * GiB-hours of the month at the price sheet's prices.
 */
export function EstimateBreakdown({ estimate }: { estimate: CostEstimate }) {
  const money = (amount: number) => formatMoney(amount, estimate.currency);
  return (
    <Table size="small" aria-label="Estimate breakdown">
      <TableHead>
        <TableRow>
          <TableCell>Region</TableCell>
          <TableCell align="right">Replicas</TableCell>
          <TableCell align="right">CPU</TableCell>
          <TableCell align="right">Memory</TableCell>
          <TableCell align="right">Per month</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {estimate.lines.map(line => (
          <TableRow key={`${line.cluster}/${line.region}`}>
            <TableCell component="th" scope="row">
              {line.region}
            </TableCell>
            <TableCell align="right">{line.replicas}</TableCell>
            <TableCell
              align="right"
              title={`${formatNumber(line.cpuHours)} vCPU-hours at ${money(
                line.pricePerCpuHour,
              )}`}
            >
              {money(line.cpuCost)}
            </TableCell>
            <TableCell
              align="right"
              title={`${formatNumber(line.memoryGiBHours)} GiB-hours at ${money(
                line.pricePerGiBHour,
              )}`}
            >
              {money(line.memoryCost)}
            </TableCell>
            <TableCell align="right">{money(line.total)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
      {estimate.lines.length > 1 && (
        <TableFooter>
          <TableRow>
            <TableCell component="th" scope="row" colSpan={4}>
              Total
            </TableCell>
            <TableCell align="right">{money(estimate.monthlyTotal)}</TableCell>
          </TableRow>
        </TableFooter>
      )}
    </Table>
  );
}
