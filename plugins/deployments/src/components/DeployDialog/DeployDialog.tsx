import type { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import {
  DEFAULT_DEPLOYMENT_ENVIRONMENT,
  isPreviewEnvironment,
  PREVIEW_ENVIRONMENT_PREFIX,
  previewEnvironmentName,
  type DeploymentDetails,
} from '@paved-road/plugin-deployments-common';
import { useState, type FormEvent } from 'react';
import { deploymentsApiRef } from '../../api/DeploymentsApi';
import { errorMessage } from '../../lib/errors';

const TITLE_ID = 'deployments-deploy-title';

/** The ref a deployment starts from unless changed: the usual default branch. */
export const DEFAULT_REF = 'main';

// The radio value of "a preview": environment names have no parentheses.
const PREVIEW = '(preview)';

/** The preview a branch deploys to; undefined when the name has no letter or digit. */
function previewOf(branch: string): string | undefined {
  const name = previewEnvironmentName(branch);
  return name.length > PREVIEW_ENVIRONMENT_PREFIX.length ? name : undefined;
}

/**
 * Asks which ref to deploy where (a standard environment, or a preview of a
 * branch in an environment of its own), starts the deployment and hands it
 * over; a refusal (400 naming the field, 403, 409 while another deployment
 * runs or the project is deactivated) stays in the dialog as the backend's
 * message.
 */
export function DeployDialog(props: {
  entityRef: CompoundEntityRef;
  /** The standard environments to offer; production when not known. */
  standardEnvironments?: string[];
  /**
   * What the dialog opens on: the environment (a preview selects "a
   * preview") and, for a preview, its branch.
   */
  initial?: { environment: string; ref?: string };
  onClose: () => void;
  onStarted: (deployment: DeploymentDetails) => void;
}) {
  const {
    entityRef,
    standardEnvironments = [DEFAULT_DEPLOYMENT_ENVIRONMENT],
    initial,
    onClose,
    onStarted,
  } = props;
  const api = useApi(deploymentsApiRef);
  const startsOnPreview =
    initial !== undefined && isPreviewEnvironment(initial.environment);
  const [target, setTarget] = useState(() => {
    if (startsOnPreview) return PREVIEW;
    return initial && standardEnvironments.includes(initial.environment)
      ? initial.environment
      : standardEnvironments[0] ?? DEFAULT_DEPLOYMENT_ENVIRONMENT;
  });
  const [ref, setRef] = useState(
    startsOnPreview && initial?.ref ? initial.ref : DEFAULT_REF,
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const preview = target === PREVIEW;
  const previewName = preview ? previewOf(ref.trim()) : undefined;
  const missingBranch = preview && !previewName;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (missingBranch) return;
    setBusy(true);
    setError(undefined);
    try {
      // An empty ref leaves the choice of branch to the backend; a preview
      // is named after its branch, so it always has one.
      const deployment = await api.createDeployment(
        entityRef,
        preview
          ? { ref: ref.trim(), environment: previewName }
          : { ...(ref.trim() && { ref: ref.trim() }), environment: target },
      );
      onStarted(deployment);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  let refHelp =
    'A branch, tag or commit. main is the head of the default branch; leave it empty for the default branch whatever its name.';
  if (missingBranch) {
    refHelp = 'A preview needs the name of the branch it runs.';
  } else if (preview) {
    refHelp = `Runs in ${previewName}, an environment of its own with its own instances and URL, until it is torn down or expires.`;
  }

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
          <FormControl component="fieldset" margin="normal">
            <FormLabel component="legend">Deploy to</FormLabel>
            <RadioGroup
              aria-label="Deploy to"
              value={target}
              onChange={e => setTarget(e.target.value)}
            >
              {standardEnvironments.map(name => (
                <FormControlLabel
                  key={name}
                  value={name}
                  control={<Radio color="primary" />}
                  label={name}
                />
              ))}
              <FormControlLabel
                value={PREVIEW}
                control={<Radio color="primary" />}
                label="A preview of this branch"
              />
            </RadioGroup>
          </FormControl>
          <TextField
            id="deployments-deploy-ref"
            label={preview ? 'Branch' : 'Ref'}
            value={ref}
            onChange={e => setRef(e.target.value)}
            required={preview}
            error={missingBranch}
            helperText={refHelp}
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
            disabled={busy || missingBranch}
          >
            {busy ? 'Starting…' : 'Deploy'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
