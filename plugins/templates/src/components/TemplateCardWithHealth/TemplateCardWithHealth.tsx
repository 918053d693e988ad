import { stringifyEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import type { IconComponent } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import CardHeader from '@material-ui/core/CardHeader';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import type { TemplateCardComponentProps } from '@backstage/plugin-scaffolder-react/alpha';
import { useTemplateHealthSummary } from '../../hooks/useTemplateHealthList';
import { formatRate } from '../../lib/format';
import { ReportProblemButton } from '../ReportProblemDialog';
import { VerdictBadge } from '../VerdictBadge';

type TemplateEntityV1beta3 = TemplateCardComponentProps['template'];

/**
 * Props of the create page's template card in both frontend systems: the
 * new one binds `onSelected` to the template, the legacy one passes it.
 */
export type TemplateCardWithHealthProps = {
  template: TemplateEntityV1beta3;
  additionalLinks?: { icon: IconComponent; text: string; url: string }[];
  onSelected?: (template: TemplateEntityV1beta3) => void;
};

/**
 * A template card for the create page with the template's health verdict and
 * "Report a problem with this template". It replaces the scaffolder's card
 * (whose implementation is not exported), so it shows what that card shows
 * most: title, type, description, tags, links and Choose.
 */
export function TemplateCardWithHealth(props: TemplateCardWithHealthProps) {
  const { template, additionalLinks = [], onSelected } = props;
  const templateRef = stringifyEntityRef(template).toLocaleLowerCase('en-US');
  const { value: health } = useTemplateHealthSummary(templateRef);
  const title = template.metadata.title ?? template.metadata.name;

  return (
    <Card
      style={{ height: '100%', display: 'flex', flexDirection: 'column' }}
      aria-label={`Template ${title}`}
    >
      <CardHeader
        title={title}
        // A heading, as on the scaffolder's own card: pages and tests find
        // a template by it.
        titleTypographyProps={{ component: 'h2', variant: 'h5' }}
        subheader={template.spec.type}
        action={
          health && (
            <VerdictBadge verdict={health.verdict} reasons={health.reasons} />
          )
        }
      />
      <CardContent style={{ flexGrow: 1 }}>
        <Typography variant="body2" paragraph>
          {template.metadata.description ?? 'No description'}
        </Typography>
        {health && health.figures.taskCount > 0 && (
          <Typography variant="caption" color="textSecondary" paragraph>
            {formatRate(health.figures.successRate)} of{' '}
            {health.figures.taskCount} runs succeeded ·{' '}
            {health.figures.projectCount} projects
          </Typography>
        )}
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          {(template.metadata.tags ?? []).map(tag => (
            <Chip key={tag} size="small" label={tag} />
          ))}
        </Box>
        {additionalLinks.map(({ icon: Icon, text, url }) => (
          <Box key={url} display="flex" alignItems="center" mt={1}>
            <Icon fontSize="small" />
            <Box ml={1}>
              <Link to={url}>{text}</Link>
            </Box>
          </Box>
        ))}
      </CardContent>
      <CardActions style={{ justifyContent: 'space-between' }}>
        <ReportProblemButton
          templateRef={templateRef}
          version={health?.latestVersion}
          label="Report a problem"
          size="small"
        />
        <Button
          size="small"
          variant="contained"
          color="primary"
          onClick={() => onSelected?.(template)}
        >
          Choose
        </Button>
      </CardActions>
    </Card>
  );
}
