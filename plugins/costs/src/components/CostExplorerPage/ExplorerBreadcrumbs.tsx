import Breadcrumbs from '@material-ui/core/Breadcrumbs';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { EntityDisplayName } from '@backstage/plugin-catalog-react';
import type { ReactNode } from 'react';
import { keyLabel } from '../../lib/refs';
import { LEVEL_LABELS, type DrillStep } from './explorerState';

/** Where the drill-down is, each step a way back up. */
export function ExplorerBreadcrumbs(props: {
  drill: DrillStep[];
  /** Goes back to the first `depth` steps (0: the whole organisation). */
  onBack: (depth: number) => void;
}) {
  const { drill, onBack } = props;
  const steps: { label: ReactNode; title: string }[] = [
    { label: 'Everything', title: 'The whole organisation' },
    ...drill.map(step => ({
      // Groups by their title, as the table shows them; cost centers as is.
      label: step.key.includes(':') ? (
        <EntityDisplayName
          entityRef={step.key}
          hideIcon
          disableTooltip
          defaultKind="group"
        />
      ) : (
        keyLabel(step.key)
      ),
      title: `${LEVEL_LABELS[step.dimension]} ${step.key}`,
    })),
  ];
  return (
    <Breadcrumbs aria-label="Drill-down">
      {steps.map((step, depth) =>
        depth === steps.length - 1 ? (
          <Typography
            key={depth}
            color="textPrimary"
            title={step.title}
            aria-current="page"
          >
            {step.label}
          </Typography>
        ) : (
          <Link
            key={depth}
            component="button"
            variant="body1"
            title={step.title}
            onClick={() => onBack(depth)}
          >
            {step.label}
          </Link>
        ),
      )}
    </Breadcrumbs>
  );
}
