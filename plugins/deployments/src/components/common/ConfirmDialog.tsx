import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../../lib/errors';

// One confirmation is open at a time.
const TITLE_ID = 'deployments-confirm-title';

/**
 * Asks before an action that changes what runs or what may change; closes
 * once `onConfirm` resolves, and shows a refusal as the backend words it.
 */
export function ConfirmDialog(props: {
  title: string;
  /** What the action does, in a sentence or two. */
  children: ReactNode;
  confirmLabel: string;
  /** Hard to undo: the confirm button gets the warning colour. */
  destructive?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const { title, children, confirmLabel, destructive, onConfirm, onClose } =
    props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      onClose();
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
      <DialogTitle id={TITLE_ID}>{title}</DialogTitle>
      <DialogContent>
        <DialogContentText>{children}</DialogContentText>
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color={destructive ? 'secondary' : 'primary'}
          variant="contained"
          onClick={confirm}
          disabled={busy}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
