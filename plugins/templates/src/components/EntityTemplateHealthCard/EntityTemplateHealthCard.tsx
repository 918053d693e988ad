import { InfoCard, Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { templateOfEntity } from '../../conditions';
import { useTemplateHealthSummary } from '../../hooks/useTemplateHealthList';
import { errorMessage } from '../../lib/errors';
import {
  formatDeployments,
  formatDuration,
  formatRate,
} from '../../lib/format';
import { ReportProblemButton } from '../ReportProblemDialog';
import { VerdictBadge } from '../VerdictBadge';

/**
 * On a template: its verdict and figures. On a project made from a
 * template: that template's verdict, and "Report a problem with this
 * template", kept with the version the project was made from.
 */
export function EntityTemplateHealthCard() {
  const { entity } = useEntity();
  const about = templateOfEntity(entity);
  const { value, loading, error } = useTemplateHealthSummary(
    about?.templateRef,
  );

  if (!about) {
    return null;
  }
  const isProject = about.entityRef !== undefined;
  return (
    <InfoCard title="Template health">
      {loading && <Progress />}
      {error && (
        <Alert severity="error">
          Could not load template health: {errorMessage(error)}
        </Alert>
      )}
      {!loading && !error && (
        <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
          <Typography variant="body2">
            {isProject ? 'Made from ' : ''}
            {about.templateRef}
            {about.version ? ` · version ${about.version}` : ''}
          </Typography>
          {value ? (
            <>
              <Box>
                <VerdictBadge verdict={value.verdict} reasons={value.reasons} />
              </Box>
              {value.reasons.length > 0 && (
                <Typography variant="body2">
                  {value.reasons.join('; ')}
                </Typography>
              )}
              <Typography variant="body2" color="textSecondary">
                {value.figures.taskCount} tasks,{' '}
                {formatRate(value.figures.successRate)} succeeded, p50{' '}
                {formatDuration(value.figures.p50DurationMs)}, p95{' '}
                {formatDuration(value.figures.p95DurationMs)};{' '}
                {value.figures.projectCount} projects,{' '}
                {formatDeployments(value.figures)}
              </Typography>
            </>
          ) : (
            <Typography variant="body2" color="textSecondary">
              No health figures for this template yet.
            </Typography>
          )}
          <Box>
            <ReportProblemButton
              templateRef={about.templateRef}
              version={about.version}
              entityRef={about.entityRef}
            />
          </Box>
        </Box>
      )}
    </InfoCard>
  );
}
