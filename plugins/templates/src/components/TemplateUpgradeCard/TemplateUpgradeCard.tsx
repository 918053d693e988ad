import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InfoCard,
  MarkdownContent,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  templateProjectUpgradePermission,
  type MissingAnswer,
  type ProjectUpgradeInfo,
  type UpgradeJob,
} from '@paved-road/plugin-templates-common';
import { useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { templateUpgradesApiRef } from '../../api/TemplateUpgradesApi';
import { errorMessage } from '../../lib/errors';
import { templateRefParts } from '../../lib/format';
import {
  canMerge,
  isFinished,
  jobSummary,
  POLL_INTERVAL_MS,
  unavailableReason,
} from './jobText';
import { UpgradeJobOutcome } from './UpgradeJobOutcome';

type Answers = Record<string, string | boolean>;

/** `{ 'a.b': '3' }` typed by each question's type → `{ a: { b: 3 } }`. */
function typedAnswers(
  missing: MissingAnswer[],
  answers: Answers,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const question of missing) {
    const raw = answers[question.name];
    if (raw === undefined || raw === '') continue;
    const value =
      question.type === 'number' || question.type === 'integer'
        ? Number(raw)
        : raw;
    const path = question.name.split('.');
    let target = out;
    for (const key of path.slice(0, -1)) {
      target[key] = (target[key] as Record<string, unknown>) ?? {};
      target = target[key] as Record<string, unknown>;
    }
    target[path[path.length - 1]] = value;
  }
  return out;
}

/** `{ a: { b: 1 } }` → `[['a.b', '1']]`: new answers as the form names them. */
function flatten(
  values: Record<string, unknown>,
  prefix = '',
): Array<[string, string]> {
  return Object.entries(values).flatMap(([key, value]) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? flatten(value as Record<string, unknown>, `${prefix}${key}.`)
      : [
          [
            `${prefix}${key}`,
            typeof value === 'string' ? value : JSON.stringify(value),
          ] as [string, string],
        ],
  );
}

function AnswerInput(props: {
  question: MissingAnswer;
  value: string | boolean | undefined;
  onChange: (value: string | boolean) => void;
}) {
  const { question, value, onChange } = props;
  const label = question.title ?? question.name;
  if (question.type === 'boolean') {
    return (
      <FormControlLabel
        control={
          <Checkbox
            checked={value === true}
            onChange={event => onChange(event.target.checked)}
          />
        }
        label={label}
      />
    );
  }
  const numeric = question.type === 'number' || question.type === 'integer';
  const options = question.enum?.map(String);
  return (
    <TextField
      id={`template-upgrade-answer-${question.name}`}
      label={label}
      helperText={
        [question.problem, question.description].filter(Boolean).join(': ') ||
        undefined
      }
      error={Boolean(question.problem) && !value}
      required
      select={Boolean(options)}
      type={numeric && !options ? 'number' : 'text'}
      value={typeof value === 'string' ? value : ''}
      onChange={event => onChange(event.target.value)}
      size="small"
      variant="outlined"
    >
      {options?.map(option => (
        <MenuItem key={option} value={option}>
          {option}
        </MenuItem>
      ))}
    </TextField>
  );
}

function Header({ info }: { info: ProjectUpgradeInfo }) {
  const name = info.templateRef
    ? templateRefParts(info.templateRef).name
    : undefined;
  return (
    <Typography variant="body1">
      {name ? `Template ${name}` : 'No template'}
      {info.currentVersion ? ` · ${info.currentVersion}` : ''}
      {info.available && info.latestVersion ? (
        <strong> · {info.latestVersion} available</strong>
      ) : (
        ` · ${unavailableReason(info)}`
      )}
    </Typography>
  );
}

/**
 * On a project made from a template: its template version and, when a
 * newer one exists, the changelog, the new questions' defaults, inputs for
 * the answers the new version needs and **Upgrade** (for those the
 * permission policy allows); then the upgrade, polled every 2 s, and its
 * outcome, with **Merge into the default branch** for a clean upgrade on a
 * host without pull requests.
 */
export function TemplateUpgradeCard() {
  const { entity } = useEntity();
  const api = useApi(templateUpgradesApiRef);
  const entityRef = stringifyEntityRef(entity);
  const compound = useMemo(() => getCompoundEntityRef(entity), [entity]);
  const info = useAsyncRetry(
    () => api.getProjectUpgrade(compound),
    [api, compound],
  );
  const permission = usePermission({
    permission: templateProjectUpgradePermission,
    resourceRef: entityRef,
  });
  const [answers, setAnswers] = useState<Answers>({});
  const [started, setStarted] = useState<UpgradeJob>();
  const [submitting, setSubmitting] = useState(false);
  const [merging, setMerging] = useState(false);
  const [failure, setFailure] = useState<string>();

  const job = started ?? info.value?.job;
  const following = job !== undefined && !isFinished(job);
  useInterval(
    () => {
      if (!job) return;
      api
        .getUpgrade(job.id)
        .then(setStarted, error =>
          setFailure(`Could not follow the upgrade: ${errorMessage(error)}`),
        );
    },
    following ? POLL_INTERVAL_MS : null,
  );

  if (info.loading) {
    return (
      <InfoCard title="Template upgrade">
        <Progress />
      </InfoCard>
    );
  }
  if (info.error || !info.value) {
    return (
      <InfoCard title="Template upgrade">
        <Alert severity="error">
          Could not load the template upgrade:{' '}
          {errorMessage(info.error ?? 'no answer')}
        </Alert>
      </InfoCard>
    );
  }
  const upgrade = info.value;
  const missing = upgrade.missingAnswers;
  const unanswered = missing.filter(
    q => q.type !== 'boolean' && !answers[q.name],
  );
  const newAnswers = flatten(upgrade.newAnswers);
  // A job for the latest version that did not fail stands: asking again
  // would return it.
  const alreadyAsked =
    job !== undefined &&
    job.toVersion === upgrade.latestVersion &&
    job.status !== 'failed';

  const startUpgrade = async () => {
    setSubmitting(true);
    setFailure(undefined);
    try {
      const typed = typedAnswers(missing, answers);
      const { job: queued } = await api.upgradeProject(compound, {
        toVersion: upgrade.latestVersion!,
        ...(Object.keys(typed).length ? { answers: typed } : {}),
      });
      setStarted(queued);
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setSubmitting(false);
    }
  };

  const merge = async (id: string) => {
    setMerging(true);
    setFailure(undefined);
    try {
      setStarted(await api.mergeUpgrade(id));
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setMerging(false);
    }
  };

  return (
    <InfoCard title="Template upgrade">
      <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
        <Header info={upgrade} />
        {upgrade.available && upgrade.changelog.length > 0 && (
          <Box>
            <Typography variant="subtitle2">Changelog</Typography>
            {upgrade.changelog.map(entry => (
              <Box key={entry.version}>
                <Typography variant="subtitle1">{entry.version}</Typography>
                <MarkdownContent content={entry.body} />
              </Box>
            ))}
          </Box>
        )}
        {upgrade.available && newAnswers.length > 0 && (
          <Box>
            <Typography variant="subtitle2">
              New questions, answered with their defaults
            </Typography>
            <Box component="ul" aria-label="New answers" m={0}>
              {newAnswers.map(([name, value]) => (
                <Typography component="li" variant="body2" key={name}>
                  {name}: <code>{value}</code>
                </Typography>
              ))}
            </Box>
          </Box>
        )}
        {upgrade.available && !alreadyAsked && missing.length > 0 && (
          <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
            <Typography variant="subtitle2">
              Version {upgrade.latestVersion} asks what this project never
              answered
            </Typography>
            {missing.map(question => (
              <AnswerInput
                key={question.name}
                question={question}
                value={answers[question.name]}
                onChange={value =>
                  setAnswers(previous => ({
                    ...previous,
                    [question.name]: value,
                  }))
                }
              />
            ))}
          </Box>
        )}
        {upgrade.available && !alreadyAsked && (
          <Box>
            <Button
              variant="contained"
              color="primary"
              disabled={
                !permission.allowed ||
                submitting ||
                following ||
                unanswered.length > 0
              }
              onClick={startUpgrade}
            >
              Upgrade to {upgrade.latestVersion}
            </Button>
            {!permission.loading && !permission.allowed && (
              <Typography variant="body2" color="textSecondary">
                Only the team that owns this project and platform engineers may
                upgrade it.
              </Typography>
            )}
          </Box>
        )}
        {failure && <Alert severity="error">{failure}</Alert>}
        {job && (
          <Box>
            <Typography variant="subtitle2">
              {started || following ? 'Upgrade' : 'Last upgrade'} to{' '}
              {job.toVersion}: {jobSummary(job)}
            </Typography>
            <UpgradeJobOutcome job={job} />
          </Box>
        )}
        {job && canMerge(job) && (
          <Box>
            <Button
              variant="contained"
              color="primary"
              disabled={!permission.allowed || merging}
              onClick={() => merge(job.id)}
            >
              Merge into the default branch
            </Button>
            {!permission.loading && !permission.allowed && (
              <Typography variant="body2" color="textSecondary">
                Only the team that owns this project and platform engineers may
                merge it.
              </Typography>
            )}
          </Box>
        )}
        {job?.mergedAt && upgrade.currentVersion !== job.toVersion && (
          <Alert severity="info">
            The catalog picks up version {job.toVersion} from the default branch
            shortly; reload the page to see it.
          </Alert>
        )}
      </Box>
    </InfoCard>
  );
}
