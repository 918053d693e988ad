import {
  Content,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import type {
  RollupGroupBy,
  RollupItem,
  RollupResponse,
} from '@paved-road/plugin-costs-common';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { costsApiRef } from '../../api/CostsApi';
import { periodRange } from '../../lib/period';
import { BudgetsPanel } from './BudgetsPanel';
import { downloadCsv, rollupCsv } from './csv';
import { ExplorerBreadcrumbs } from './ExplorerBreadcrumbs';
import {
  formatDrillStep,
  LEVEL_LABELS,
  LEVELS,
  nextLevel,
  useExplorerState,
} from './explorerState';
import { IngestionStatus } from './IngestionStatus';
import { PeriodPicker } from './PeriodPicker';
import { RollupTable } from './RollupTable';
import { seriesKeys, StackedDailyChart } from './StackedDailyChart';
import { TopMovers } from './TopMovers';

/** Biggest first, the order of the table, the chart and the CSV. */
function byTotal(report: RollupResponse): RollupResponse {
  return {
    ...report,
    items: [...report.items].sort(
      (a, b) => b.total - a.total || a.title.localeCompare(b.title),
    ),
  };
}

/**
 * The Cost explorer: cost by business unit, cost center, team and service
 * for a period, drilled down from the whole organisation to one team's
 * services, against the previous period; the budgets of what is in view;
 * and how the last billing exports went in.
 *
 * @public
 */
export function CostExplorerPage() {
  const costsApi = useApi(costsApiRef);
  const [state, update] = useExplorerState();
  // Today, once per visit: the period must not move while one looks at it.
  const today = useMemo(() => new Date(), []);
  const range = periodRange(state.period, today, state.custom);
  const deepest = state.drill[state.drill.length - 1];
  const filter = deepest ? formatDrillStep(deepest) : undefined;
  const { groupBy } = state;

  const rollup = useAsync(async () => {
    if (!range) {
      return undefined;
    }
    const report = await costsApi.getRollups({
      groupBy,
      from: range.from,
      to: range.to,
      filter,
    });
    return byTotal(report);
  }, [costsApi, groupBy, range?.from, range?.to, filter]);
  const report = rollup.value;

  // The chart's series come second: the table need not wait for them, and
  // without them the chart falls back to totals.
  const daily = useAsync(async () => {
    if (!report) {
      return undefined;
    }
    return costsApi.getRollupDaily({
      groupBy: report.groupBy ?? groupBy,
      from: report.from,
      to: report.to,
      filter,
      keys: seriesKeys(report),
    });
  }, [costsApi, report]);

  // Only dimensions finer than the group drilled into make sense.
  const levels = deepest
    ? LEVELS.slice(LEVELS.indexOf(deepest.dimension) + 1)
    : LEVELS;

  const open = (item: RollupItem) => {
    const next = nextLevel(groupBy);
    if (next) {
      update(s => ({
        ...s,
        drill: [...s.drill, { dimension: s.groupBy, key: item.key }],
        groupBy: next,
        highlight: undefined,
      }));
    }
  };
  const back = (depth: number) =>
    update(s => {
      const drill = s.drill.slice(0, depth);
      const last = drill[drill.length - 1];
      return {
        ...s,
        drill,
        groupBy: (last && nextLevel(last.dimension)) ?? LEVELS[0],
        highlight: undefined,
      };
    });
  const exportCsv = () => {
    if (report) {
      downloadCsv(
        `cost-by-${groupBy}-${report.from}-to-${report.to}.csv`,
        rollupCsv(report, { groupBy, filter: deepest }),
      );
    }
  };

  let body: JSX.Element;
  if (!range) {
    body = (
      <Typography color="textSecondary">
        Choose the first and the last day of the period.
      </Typography>
    );
  } else if (rollup.loading) {
    body = <Progress />;
  } else if (rollup.error) {
    body = <ResponseErrorPanel error={rollup.error} />;
  } else if (!report) {
    body = <></>;
  } else {
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12} lg={8}>
          <InfoCard
            title={`Daily cost by ${LEVEL_LABELS[groupBy].toLowerCase()}`}
            subheader={`${report.from} to ${report.to}, ${report.currency}`}
          >
            {daily.loading ? (
              <Progress />
            ) : (
              <StackedDailyChart report={report} daily={daily.value} />
            )}
          </InfoCard>
        </Grid>
        <Grid item xs={12} lg={4}>
          <InfoCard
            title="Top movers"
            subheader="Against the previous period of the same length"
          >
            <TopMovers report={report} />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard
            title={`Cost by ${LEVEL_LABELS[groupBy].toLowerCase()}`}
            noPadding
          >
            <RollupTable
              report={report}
              groupBy={groupBy}
              onOpen={open}
              highlight={state.highlight}
            />
          </InfoCard>
        </Grid>
      </Grid>
    );
  }

  return (
    <Content>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        justifyContent="space-between"
        marginBottom={2}
        style={{ gap: 16 }}
      >
        <PeriodPicker
          period={state.period}
          custom={state.custom}
          onChange={(period, custom) => update(s => ({ ...s, period, custom }))}
        />
        <Button
          variant="outlined"
          startIcon={<GetAppIcon />}
          disabled={!report}
          onClick={exportCsv}
        >
          Export CSV
        </Button>
      </Box>
      <ExplorerBreadcrumbs drill={state.drill} onBack={back} />
      <Tabs
        value={groupBy}
        onChange={(_, value: RollupGroupBy) =>
          update(s => ({ ...s, groupBy: value }))
        }
        indicatorColor="primary"
        aria-label="Group by"
      >
        {levels.map(level => (
          <Tab key={level} value={level} label={LEVEL_LABELS[level]} />
        ))}
      </Tabs>
      <Box marginTop={2}>{body}</Box>
      <Grid container spacing={3} style={{ marginTop: 8 }}>
        <Grid item xs={12}>
          <InfoCard title="Budgets" subheader="This month">
            <BudgetsPanel drill={state.drill} />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Billing exports" subheader="Last ingestion of each">
            <IngestionStatus />
          </InfoCard>
        </Grid>
      </Grid>
    </Content>
  );
}
