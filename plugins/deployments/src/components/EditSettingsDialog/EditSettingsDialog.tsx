import type { CompoundEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type {
  DeploymentSettingsVersion,
  UpdateDeploymentSettingsResponse,
} from '@paved-road/plugin-deployments-common';
import { useMemo, useState } from 'react';
import { deploymentsApiRef } from '../../api/DeploymentsApi';
import { errorMessage, errorStatus } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { diffSettings } from '../../lib/settingsDiff';
import {
  settingsFields,
  validateDraft,
  type SettingsDraft,
} from '../../lib/settingsFields';
import { CommitLink } from '../common/CommitLink';
import { EstimateChange } from './EstimateChange';
import { SettingsDiffTable } from './SettingsDiffTable';
import { SettingsForm } from './SettingsForm';

const TITLE_ID = 'deployments-edit-settings-title';

type Step =
  | { name: 'edit'; notice?: string }
  | { name: 'review' }
  | { name: 'done'; result: UpdateDeploymentSettingsResponse };

type Failure =
  | { kind: 'conflict'; latest: DeploymentSettingsVersion }
  | { kind: 'error'; message: string };

/** Labels of the fields with errors, e.g. `Replicas, Regions`. */
function invalidFieldLabels(errors: Record<string, string>): string {
  const invalid = new Set(
    Object.keys(errors).map(
      path =>
        settingsFields.find(
          f => path === f.path || path.startsWith(`${f.path}.`),
        )?.label ?? path,
    ),
  );
  return [...invalid].join(', ');
}

function ConflictAlert(props: {
  latest: DeploymentSettingsVersion;
  onReload: () => void;
}) {
  const { latest, onReload } = props;
  return (
    <Alert
      severity="warning"
      action={
        <Button color="inherit" size="small" onClick={onReload}>
          Reload
        </Button>
      }
    >
      <AlertTitle>Someone changed the settings meanwhile</AlertTitle>
      Version {latest.version} was saved by{' '}
      <EntityRefLink entityRef={latest.createdBy} defaultKind="user" /> at{' '}
      {formatDateTime(latest.createdAt)}. Nothing of yours was saved: reload it
      and review your change against it.
    </Alert>
  );
}

function SavedResult(props: { result: UpdateDeploymentSettingsResponse }) {
  const { result } = props;
  if (result.mode === 'pull-request') {
    return (
      <Typography>
        Opened a pull request:{' '}
        <Link to={result.pullRequestUrl}>{result.pullRequestUrl}</Link>. The new
        settings become a version once it is merged.
      </Typography>
    );
  }
  const { version } = result;
  return (
    <Typography>
      Saved as version {version.version} in commit{' '}
      <CommitLink commitSha={version.commitSha} commitUrl={version.commitUrl} />
      .
    </Typography>
  );
}

/**
 * Edits an entity's deployment settings: a form generated from the schema,
 * then the diff and the reason, then the commit (or pull request) it made.
 */
export function EditSettingsDialog(props: {
  entityRef: CompoundEntityRef;
  current: DeploymentSettingsVersion;
  onClose: () => void;
  /** The stored settings changed (saved, or reloaded after a conflict). */
  onChanged: () => void;
}) {
  const { entityRef, current, onClose, onChanged } = props;
  const api = useApi(deploymentsApiRef);
  const [draft, setDraft] = useState<SettingsDraft>(() => current.settings);
  const [step, setStep] = useState<Step>({ name: 'edit' });
  const [message, setMessage] = useState('');
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<Failure>();

  const validation = useMemo(() => validateDraft(draft), [draft]);
  const changes = validation.valid
    ? diffSettings(current.settings, validation.settings)
    : [];

  const save = async () => {
    if (!validation.valid) {
      return;
    }
    setSaving(true);
    setFailure(undefined);
    try {
      const result = await api.updateSettings(entityRef, {
        settings: validation.settings,
        baseVersion: current.version,
        message: message.trim(),
      });
      setStep({ name: 'done', result });
      onChanged();
    } catch (error) {
      // A 409 is a newer version or a deactivated project: only the first
      // is a conflict the user resolves by reloading.
      const latest =
        errorStatus(error) === 409
          ? await api.getLatestSettings(entityRef).catch(() => undefined)
          : undefined;
      setFailure(
        latest && latest.version !== current.version
          ? { kind: 'conflict', latest }
          : { kind: 'error', message: errorMessage(error) },
      );
    } finally {
      setSaving(false);
    }
  };

  const reload = (latest: DeploymentSettingsVersion) => {
    onChanged();
    setFailure(undefined);
    setStep({
      name: 'edit',
      notice: `Reloaded version ${latest.version}. Your edits are kept: review them against it.`,
    });
  };

  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby={TITLE_ID}
    >
      {step.name === 'edit' && (
        <>
          <DialogTitle id={TITLE_ID}>Edit deployment settings</DialogTitle>
          <DialogContent>
            {step.notice && <Alert severity="info">{step.notice}</Alert>}
            <SettingsForm
              draft={draft}
              errors={validation.errors}
              onChange={setDraft}
            />
          </DialogContent>
          <DialogActions>
            <Typography variant="caption" color="textSecondary">
              {!validation.valid &&
                `Fix ${invalidFieldLabels(validation.errors)}`}
              {validation.valid && changes.length === 0 && 'Nothing changed'}
            </Typography>
            <Button onClick={onClose}>Cancel</Button>
            <Button
              color="primary"
              variant="contained"
              disabled={changes.length === 0}
              onClick={() => setStep({ name: 'review' })}
            >
              Review changes
            </Button>
          </DialogActions>
        </>
      )}
      {step.name === 'review' && (
        <>
          <DialogTitle id={TITLE_ID}>
            Review changes to version {current.version}
          </DialogTitle>
          <DialogContent>
            <SettingsDiffTable changes={changes} />
            {validation.valid && (
              <Box marginTop={2}>
                <EstimateChange
                  before={current.settings}
                  after={validation.settings}
                />
              </Box>
            )}
            <Box marginTop={2}>
              <TextField
                id="deployment-settings-message"
                label="Why"
                helperText="Becomes the commit message"
                value={message}
                onChange={e => setMessage(e.target.value)}
                required
                multiline
                minRows={2}
                fullWidth
                variant="outlined"
              />
            </Box>
            {failure?.kind === 'conflict' && (
              <ConflictAlert
                latest={failure.latest}
                onReload={() => reload(failure.latest)}
              />
            )}
            {failure?.kind === 'error' && (
              <Alert severity="error">{failure.message}</Alert>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setStep({ name: 'edit' })}>Back</Button>
            <Button
              color="primary"
              variant="contained"
              disabled={saving || message.trim() === ''}
              onClick={save}
            >
              {saving ? 'Saving…' : 'Save'}
            </Button>
          </DialogActions>
        </>
      )}
      {step.name === 'done' && (
        <>
          <DialogTitle id={TITLE_ID}>Settings saved</DialogTitle>
          <DialogContent>
            <SavedResult result={step.result} />
          </DialogContent>
          <DialogActions>
            <Button color="primary" onClick={onClose}>
              Close
            </Button>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
}
