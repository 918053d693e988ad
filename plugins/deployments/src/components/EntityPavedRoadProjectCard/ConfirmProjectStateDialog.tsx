import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { errorMessage } from '../../lib/errors';

const TITLE_ID = 'deployments-project-state-title';

const TEXT = {
  deactivate: {
    title: (name: string) => `Deactivate ${name}?`,
    body: 'Its catalog entry becomes deprecated (committed to catalog-info.yaml), its settings can no longer change and it can no longer be deployed; a repository on GitHub is archived. You can reactivate it later.',
    confirm: 'Deactivate',
  },
  reactivate: {
    title: (name: string) => `Reactivate ${name}?`,
    body: 'Its catalog entry gets back its lifecycle, its settings can change and it can be deployed again; a repository on GitHub is unarchived.',
    confirm: 'Reactivate',
  },
};

/** Asks before deactivating or reactivating a project; shows a refusal. */
export function ConfirmProjectStateDialog(props: {
  action: 'deactivate' | 'reactivate';
  projectName: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const { action, projectName, onConfirm, onClose } = props;
  const text = TEXT[action];
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
    <Dialog open onClose={onClose} aria-labelledby={TITLE_ID}>
      <DialogTitle id={TITLE_ID}>{text.title(projectName)}</DialogTitle>
      <DialogContent>
        <DialogContentText>{text.body}</DialogContentText>
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color={action === 'deactivate' ? 'secondary' : 'primary'}
          variant="contained"
          onClick={confirm}
          disabled={busy}
        >
          {text.confirm}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
