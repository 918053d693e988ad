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
import type { Budget } from '@paved-road/plugin-costs-common';
import useAsync from 'react-use/esm/useAsync';
import { costsApiRef } from '../../api/CostsApi';
import { formatMoney, formatTimestamp } from '../../lib/format';

const TITLE_ID = 'costs-budget-history-title';

/** Every version of a budget, newest first: amount, who, when and why. */
export function BudgetHistoryDialog(props: {
  scope: Budget['scope'];
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
            <TableCell align="right">Amount</TableCell>
            <TableCell>Why</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {history.value.map(version => (
            <TableRow key={version.updatedAt}>
              <TableCell>{formatTimestamp(version.updatedAt)}</TableCell>
              <TableCell>
                <EntityRefLink
                  entityRef={version.updatedBy}
                  defaultKind="user"
                />
              </TableCell>
              <TableCell align="right">
                {formatMoney(version.amount, version.currency)}
              </TableCell>
              <TableCell>
                {(version as Budget & { message?: string }).message ?? ''}
              </TableCell>
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
