import Button from '@material-ui/core/Button';
import { useState } from 'react';
import { ReportProblemDialog } from './ReportProblemDialog';

/** A button opening {@link ReportProblemDialog} for a template (version). */
export function ReportProblemButton(props: {
  templateRef: string;
  version?: string;
  entityRef?: string;
  label?: string;
  size?: 'small' | 'medium';
  onReported?: () => void;
}) {
  const {
    label = 'Report a problem with this template',
    size = 'medium',
    ...report
  } = props;
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="outlined"
        color="primary"
        size={size}
        onClick={() => setOpen(true)}
      >
        {label}
      </Button>
      <ReportProblemDialog
        {...report}
        open={open}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
