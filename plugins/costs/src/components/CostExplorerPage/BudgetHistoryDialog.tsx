import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { BudgetScope } from '@paved-road/plugin-costs-common';
import useAsync from 'react-use/esm/useAsync';
import { costsApiRef } from '../../api/CostsApi';
import { formatMoney, formatTimestamp } from '../../lib/format';

const TITLE_ID = 'costs-budget-history-title';

/** Every change of a budget, newest first: who, when, from what to what, why. */
export function BudgetHistoryDialog(props: {
  scope: BudgetScope;
  budgetKey: string;
  label: string;
  onClose: () => void;
}) {
  const { scope, budgetKey, label, onClose } = props;
  const costsApi = useApi(costsApiRef);
  const history = useAsync(
    () => costsApi.getBudgetHistory(scope, budgetKey),
    [costsApi, scope, budgetKey],
  );

  let content: JSX.Element;
  if (history.loading) {
    content = <Progress />;
  } else if (history.error) {
    content = <ResponseErrorPanel error={history.error} />;
  } else if (!history.value?.length) {
    content = <Typography>No budget was ever set.</Typography>;
  } else {
    content = (
      <Table size="small" aria-label={`Budget history of ${label}`}>
        <TableHead>
          <TableRow>
            <TableCell>When</TableCell>
            <TableCell>Who</TableCell>
            <TableCell align="right">Before</TableCell>
            <TableCell align="right">After</TableCell>
            <TableCell>Why</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {history.value.map((change, index) => (
            <TableRow key={`${change.changedAt}:${index}`}>
              <TableCell>{formatTimestamp(change.changedAt)}</TableCell>
              <TableCell>
                <EntityRefLink
                  entityRef={change.changedBy}
                  defaultKind="user"
                />
              </TableCell>
              <TableCell align="right">
                {change.previousAmount === null
                  ? '—'
                  : formatMoney(
                      change.previousAmount,
                      change.previousCurrency ?? change.currency,
                    )}
              </TableCell>
              <TableCell align="right">
                {formatMoney(change.amount, change.currency)}
              </TableCell>
              <TableCell>{change.message ?? ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby={TITLE_ID}
      maxWidth="md"
      fullWidth
    >
      <DialogTitle id={TITLE_ID}>Budget history of {label}</DialogTitle>
      <DialogContent>{content}</DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
