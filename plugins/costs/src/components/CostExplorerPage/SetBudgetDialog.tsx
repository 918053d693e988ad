import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { BudgetReport } from '@paved-road/plugin-costs-common';
import { useState } from 'react';
import { costsApiRef } from '../../api/CostsApi';
import { backendMessage } from '../../lib/errors';
import { formatMoney } from '../../lib/format';

const TITLE_ID = 'costs-set-budget-title';
const CURRENCY = /^[A-Z]{3}$/;

/**
 * Sets the monthly budget of a cost center or business unit, with the
 * reason kept in its history. The backend checks the permission again.
 */
export function SetBudgetDialog(props: {
  report: BudgetReport;
  label: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { report, label, onClose, onSaved } = props;
  const costsApi = useApi(costsApiRef);
  const [amount, setAmount] = useState(
    report.budget ? String(report.budget.amount) : '',
  );
  const [currency, setCurrency] = useState(
    report.budget?.currency ?? report.currency,
  );
  const [message, setMessage] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();

  const value = Number(amount);
  const amountError =
    amount.trim() === '' || !Number.isFinite(value) || value <= 0
      ? 'a positive amount'
      : undefined;
  const currencyError = CURRENCY.test(currency)
    ? undefined
    : 'a three-letter ISO 4217 code, e.g. EUR';

  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await costsApi.setBudget(report.scope, report.key, {
        amount: value,
        currency,
        message: message.trim() || undefined,
      });
      onSaved();
    } catch (e) {
      setError(backendMessage(e));
      setSaving(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby={TITLE_ID}
      maxWidth="xs"
      fullWidth
    >
      <DialogTitle id={TITLE_ID}>Set the monthly budget of {label}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="textSecondary" gutterBottom>
          {report.month}: {formatMoney(report.monthToDate, report.currency)} so
          far, forecast {formatMoney(report.forecast, report.currency)} by the
          end of the month.
        </Typography>
        <TextField
          id="costs-budget-amount"
          label="Amount per month"
          type="number"
          value={amount}
          onChange={e => setAmount(e.target.value)}
          error={amount !== '' && Boolean(amountError)}
          helperText={
            amount !== '' && amountError ? `Enter ${amountError}` : ' '
          }
          inputProps={{ min: 0, step: 'any' }}
          required
          fullWidth
          margin="dense"
          variant="outlined"
        />
        <TextField
          id="costs-budget-currency"
          label="Currency"
          value={currency}
          onChange={e => setCurrency(e.target.value.toUpperCase())}
          error={Boolean(currencyError)}
          helperText={currencyError ? `Enter ${currencyError}` : ' '}
          required
          fullWidth
          margin="dense"
          variant="outlined"
        />
        <TextField
          id="costs-budget-message"
          label="Why"
          helperText="Kept in the budget's history"
          value={message}
          onChange={e => setMessage(e.target.value)}
          multiline
          minRows={2}
          fullWidth
          margin="dense"
          variant="outlined"
        />
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={save}
          disabled={saving || Boolean(amountError || currencyError)}
        >
          {saving ? 'Saving…' : 'Save budget'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
