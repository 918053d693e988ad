import { ConfirmDialog } from '../common/ConfirmDialog';

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
  return (
    <ConfirmDialog
      title={text.title(projectName)}
      confirmLabel={text.confirm}
      destructive={action === 'deactivate'}
      onConfirm={onConfirm}
      onClose={onClose}
    >
      {text.body}
    </ConfirmDialog>
  );
}
