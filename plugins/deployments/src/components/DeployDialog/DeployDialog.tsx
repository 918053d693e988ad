import type { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import {
  DEFAULT_DEPLOYMENT_ENVIRONMENT,
  type DeploymentDetails,
} from '@paved-road/plugin-deployments-common';
import { useState, type FormEvent } from 'react';
import { deploymentsApiRef } from '../../api/DeploymentsApi';
import { errorMessage } from '../../lib/errors';

const TITLE_ID = 'deployments-deploy-title';

/** The ref a deployment starts from unless changed: the usual default branch. */
export const DEFAULT_REF = 'main';

/**
 * Asks which ref to deploy where, starts the deployment and hands it over;
 * a refusal (400 naming the field, 403, 409 while another deployment runs
 * or the project is deactivated) stays in the dialog as the backend's
 * message.
 */
export function DeployDialog(props: {
  entityRef: CompoundEntityRef;
  onClose: () => void;
  onStarted: (deployment: DeploymentDetails) => void;
}) {
  const { entityRef, onClose, onStarted } = props;
  const api = useApi(deploymentsApiRef);
  const [ref, setRef] = useState(DEFAULT_REF);
  const [environment, setEnvironment] = useState(
    DEFAULT_DEPLOYMENT_ENVIRONMENT,
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      // Empty fields leave the choice to the backend's defaults.
      const deployment = await api.createDeployment(entityRef, {
        ...(ref.trim() && { ref: ref.trim() }),
        ...(environment.trim() && { environment: environment.trim() }),
      });
      onStarted(deployment);
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
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={TITLE_ID}>Deploy {entityRef.name}</DialogTitle>
        <DialogContent>
          <TextField
            id="deployments-deploy-ref"
            label="Ref"
            value={ref}
            onChange={e => setRef(e.target.value)}
            helperText="A branch, tag or commit. main is the head of the default branch; leave it empty for the default branch whatever its name."
            fullWidth
            margin="normal"
            inputProps={{ spellCheck: false }}
          />
          <TextField
            id="deployments-deploy-environment"
            label="Environment"
            value={environment}
            onChange={e => setEnvironment(e.target.value)}
            helperText="Where it runs: production, or an environment of its own such as preview-my-branch."
            fullWidth
            margin="normal"
            inputProps={{ spellCheck: false }}
          />
          {error && <Alert severity="error">{error}</Alert>}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy}
          >
            {busy ? 'Starting…' : 'Deploy'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
