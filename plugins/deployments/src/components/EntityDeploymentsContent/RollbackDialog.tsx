import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { errorMessage } from '../../lib/errors';
import { shortSha } from '../../lib/format';

const TITLE_ID = 'deployments-rollback-title';

/**
 * Asks before rolling an environment back to the previous successful
 * version; a refusal (e.g. 409 while a deployment runs) stays shown.
 */
export function RollbackDialog(props: {
  environment: string;
  from: string;
  to: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const { environment, from, to, onConfirm, onClose } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      aria-labelledby={TITLE_ID}
    >
      <DialogTitle id={TITLE_ID}>
        Roll {environment} back to {shortSha(to)}?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          {shortSha(from)}, which serves {environment} now, is replaced by{' '}
          {shortSha(to)}, the last version that deployed successfully before it,
          with the settings it ran with. It rolls out as a new deployment you
          can follow here.
        </DialogContentText>
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={confirm}
          disabled={busy}
        >
          Roll back
        </Button>
      </DialogActions>
    </Dialog>
  );
}
