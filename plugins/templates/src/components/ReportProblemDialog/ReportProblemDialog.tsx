import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { TEMPLATE_REPORT_MAX_LENGTH } from '@paved-road/plugin-templates-common';
import { useState } from 'react';
import { templatesApiRef } from '../../api/TemplatesApi';
import { errorMessage } from '../../lib/errors';

/**
 * "Report a problem with this template": the message goes to
 * `POST /api/templates/health/reports`, kept with the template version (the
 * project's, when reported from a project).
 */
export function ReportProblemDialog(props: {
  open: boolean;
  templateRef: string;
  version?: string;
  entityRef?: string;
  onClose: () => void;
  onReported?: () => void;
}) {
  const { open, templateRef, version, entityRef, onClose, onReported } = props;
  const api = useApi(templatesApiRef);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string>();
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState(false);

  const close = () => {
    setMessage('');
    setError(undefined);
    setSent(false);
    onClose();
  };

  const submit = async () => {
    setSending(true);
    setError(undefined);
    try {
      await api.reportTemplateProblem({
        templateRef,
        message,
        ...(version ? { version } : {}),
        ...(entityRef ? { entityRef } : {}),
      });
      setSent(true);
      onReported?.();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSending(false);
    }
  };

  return (
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
      <DialogTitle>Report a problem with this template</DialogTitle>
      <DialogContent>
        <DialogContentText>
          {templateRef}
          {version ? ` · version ${version}` : ''}
          {entityRef ? ` · from ${entityRef}` : ''}. The platform team sees your
          report on the template health page.
        </DialogContentText>
        {sent ? (
          <Alert severity="success">Thanks: your report was recorded.</Alert>
        ) : (
          <TextField
            id="template-report-message"
            label="What went wrong?"
            multiline
            minRows={4}
            fullWidth
            variant="outlined"
            value={message}
            onChange={e => setMessage(e.target.value)}
            inputProps={{ maxLength: TEMPLATE_REPORT_MAX_LENGTH }}
            helperText={`${message.length}/${TEMPLATE_REPORT_MAX_LENGTH}`}
          />
        )}
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>{sent ? 'Close' : 'Cancel'}</Button>
        {!sent && (
          <Button
            color="primary"
            variant="contained"
            disabled={sending || message.trim().length === 0}
            onClick={submit}
          >
            Send report
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
