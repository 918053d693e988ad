import { shortSha } from '../../lib/format';
import { ConfirmDialog } from '../common/ConfirmDialog';

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
  return (
    <ConfirmDialog
      title={`Roll ${environment} back to ${shortSha(to)}?`}
      confirmLabel="Roll back"
      destructive
      onConfirm={onConfirm}
      onClose={onClose}
    >
      {shortSha(from)}, which serves {environment} now, is replaced by{' '}
      {shortSha(to)}, the last version that deployed successfully before it,
      with the settings it ran with. It rolls out as a new deployment you can
      follow here.
    </ConfirmDialog>
  );
}
