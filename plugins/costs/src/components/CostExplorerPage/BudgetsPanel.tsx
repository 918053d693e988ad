import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  costsBudgetUpdatePermission,
  type BudgetReport,
} from '@paved-road/plugin-costs-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costsApiRef } from '../../api/CostsApi';
import { useBusinessUnits } from '../../hooks/useBusinessUnits';
import { formatMoney } from '../../lib/format';
import { keyLabel } from '../../lib/refs';
import { BudgetStatusChip } from '../BudgetStatusChip';
import { BudgetHistoryDialog } from './BudgetHistoryDialog';
import type { DrillStep } from './explorerState';
import { SetBudgetDialog } from './SetBudgetDialog';

/**
 * "Set budget", enabled for those the policy lets update budgets of the
 * business unit that owns the cost center; otherwise disabled, saying why.
 */
function SetBudgetButton(props: {
  label: string;
  businessUnit: string | undefined;
  onClick: () => void;
}) {
  const { label, businessUnit, onClick } = props;
  const permission = usePermission({
    permission: costsBudgetUpdatePermission,
    resourceRef: businessUnit,
  });
  let reason: string | undefined;
  if (!businessUnit) {
    reason = `No business unit in the catalog owns ${label}`;
  } else if (permission.loading) {
    reason = 'Checking your permission…';
  } else if (!permission.allowed) {
    reason = `You may not set budgets of ${keyLabel(businessUnit)}`;
  }
  const button = (
    <Button
      size="small"
      color="primary"
      disabled={Boolean(reason)}
      onClick={onClick}
      aria-label={`Set budget of ${label}`}
    >
      Set budget
    </Button>
  );
  return reason ? (
    <Tooltip title={reason}>
      {/* A disabled button gets no pointer events: the span shows the reason. */}
      <span aria-label={reason}>{button}</span>
    </Tooltip>
  ) : (
    button
  );
}

/** Whether a report belongs to the part of the organisation drilled into. */
function inView(
  report: BudgetReport,
  drill: DrillStep[],
  ownerOf: Map<string, string> | undefined,
): boolean {
  const unit = drill.find(s => s.dimension === 'business-unit')?.key;
  const costCenter = drill.find(s => s.dimension === 'cost-center')?.key;
  if (costCenter) {
    return report.scope === 'cost-center' && report.key === costCenter;
  }
  if (unit) {
    return report.scope === 'business-unit'
      ? report.key === unit
      : ownerOf?.get(report.key) === unit;
  }
  return true;
}

/**
 * This month's budgets: month to date, forecast, budget and status of each
 * cost center and business unit in view, with "Set budget" and the history.
 */
export function BudgetsPanel({ drill }: { drill: DrillStep[] }) {
  const costsApi = useApi(costsApiRef);
  const budgets = useAsyncRetry(() => costsApi.listBudgets(), [costsApi]);
  const units = useBusinessUnits();
  const [editing, setEditing] = useState<BudgetReport>();
  const [history, setHistory] = useState<BudgetReport>();

  if (budgets.loading && !budgets.value) {
    return <Progress />;
  }
  if (budgets.error) {
    return <ResponseErrorPanel error={budgets.error} />;
  }
  const ownerOf = units.value?.ownerOf;
  const unitOf = (report: BudgetReport) =>
    report.scope === 'business-unit' ? report.key : ownerOf?.get(report.key);
  const labelOf = (report: BudgetReport) =>
    report.scope === 'business-unit'
      ? units.value?.titles.get(report.key) ?? keyLabel(report.key)
      : report.key;
  const reports = (budgets.value ?? []).filter(r => inView(r, drill, ownerOf));

  if (reports.length === 0) {
    return (
      <Typography color="textSecondary">
        No cost center in view has cost or a budget this month.
      </Typography>
    );
  }

  return (
    <>
      <Table size="small" aria-label="Budgets">
        <TableHead>
          <TableRow>
            <TableCell>Budget of</TableCell>
            <TableCell>Business unit</TableCell>
            <TableCell align="right">Month to date</TableCell>
            <TableCell align="right">Forecast</TableCell>
            <TableCell align="right">Budget</TableCell>
            <TableCell>Status</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {reports.map(report => {
            const unit = unitOf(report);
            const money = (amount: number) =>
              formatMoney(amount, report.currency);
            return (
              <TableRow
                key={`${report.scope}:${report.key}`}
                data-key={report.key}
              >
                <TableCell component="th" scope="row">
                  {labelOf(report)}
                </TableCell>
                <TableCell>
                  {unit ? units.value?.titles.get(unit) ?? keyLabel(unit) : '—'}
                </TableCell>
                <TableCell align="right">{money(report.monthToDate)}</TableCell>
                <TableCell align="right">{money(report.forecast)}</TableCell>
                <TableCell align="right">
                  {report.budget
                    ? formatMoney(report.budget.amount, report.budget.currency)
                    : '—'}
                </TableCell>
                <TableCell>
                  <BudgetStatusChip status={report.status} />
                </TableCell>
                <TableCell align="right">
                  <SetBudgetButton
                    label={labelOf(report)}
                    businessUnit={unit}
                    onClick={() => setEditing(report)}
                  />
                  <Button
                    size="small"
                    onClick={() => setHistory(report)}
                    aria-label={`Budget history of ${labelOf(report)}`}
                  >
                    History
                  </Button>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {editing && (
        <SetBudgetDialog
          report={editing}
          label={labelOf(editing)}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            budgets.retry();
          }}
        />
      )}
      {history && (
        <BudgetHistoryDialog
          scope={history.scope}
          budgetKey={history.key}
          label={labelOf(history)}
          onClose={() => setHistory(undefined)}
        />
      )}
    </>
  );
}
