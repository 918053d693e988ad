import Typography from '@material-ui/core/Typography';
import type {
  RollupDailyResponse,
  RollupResponse,
} from '@paved-road/plugin-costs-common';
import useMeasure from 'react-use/esm/useMeasure';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDay, formatMoney, formatMoneyCompact } from '../../lib/format';

const HEIGHT = 320;
// Until the container is measured (first paint, or jsdom, which never
// measures) the chart takes this width rather than rendering nothing.
const FALLBACK_WIDTH = 720;
/** More stacks than this are unreadable: the rest are summed as "Other". */
export const MAX_SERIES = 8;
// Colour-blind safe (Okabe–Ito), then greys for Other and Unallocated.
const COLOURS = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
];
const KIND_COLOURS = { other: '#9E9E9E', unallocated: '#616161' };
const KIND_NAMES = { other: 'Other', unallocated: 'Unallocated' };

/** The keys to ask a series each for: the biggest groups. */
export function seriesKeys(report: RollupResponse): string[] {
  return [...report.items]
    .sort((a, b) => b.total - a.total)
    .slice(0, MAX_SERIES)
    .map(item => item.key);
}

function TotalsChart(props: { report: RollupResponse; width: number }) {
  const { report, width } = props;
  const totals = [...report.items]
    .sort((a, b) => b.total - a.total)
    .map(item => ({ name: item.title, total: item.total }));
  return (
    <BarChart
      width={width}
      height={HEIGHT}
      data={totals}
      title={`Cost by group in ${report.currency}`}
    >
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="name" interval={0} />
      <YAxis
        tickFormatter={(v: number) => formatMoneyCompact(v, report.currency)}
        width={72}
      />
      <Tooltip
        formatter={(v: number) => [formatMoney(v, report.currency), 'Total']}
      />
      <Bar
        dataKey="total"
        name="Total"
        fill={COLOURS[0]}
        isAnimationActive={false}
      />
    </BarChart>
  );
}

function DailyChart(props: {
  report: RollupResponse;
  daily: RollupDailyResponse;
  width: number;
}) {
  const { report, daily, width } = props;
  const titles = new Map(report.items.map(item => [item.key, item.title]));
  // Series without any cost in the period only clutter the legend.
  const series = daily.series
    .filter(s => s.amounts.some(amount => amount !== 0))
    .map((s, i) => ({
      id: `s${i}`,
      name:
        s.kind === 'group' ? titles.get(s.key) ?? s.key : KIND_NAMES[s.kind],
      colour:
        s.kind === 'group' ? COLOURS[i % COLOURS.length] : KIND_COLOURS[s.kind],
      amounts: s.amounts,
    }));
  const rows = daily.days.map((date, day) => ({
    date,
    ...Object.fromEntries(series.map(s => [s.id, s.amounts[day]])),
  }));
  return (
    <BarChart
      width={width}
      height={HEIGHT}
      data={rows}
      title={`Daily cost by group in ${daily.currency}`}
    >
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="date" tickFormatter={formatDay} minTickGap={16} />
      <YAxis
        tickFormatter={(v: number) => formatMoneyCompact(v, daily.currency)}
        width={72}
      />
      <Tooltip
        labelFormatter={(day: string) => formatDay(day)}
        formatter={(v: number, name: string) => [
          formatMoney(v, daily.currency),
          name,
        ]}
      />
      <Legend />
      {series.map(s => (
        <Bar
          key={s.id}
          dataKey={s.id}
          name={s.name}
          stackId="cost"
          fill={s.colour}
          isAnimationActive={false}
        />
      ))}
    </BarChart>
  );
}

/**
 * Daily cost stacked by group: the biggest groups, the rest as "Other",
 * and the unallocated cost. Without a daily series (the request failed),
 * the groups' totals side by side, saying so.
 */
export function StackedDailyChart(props: {
  report: RollupResponse;
  daily: RollupDailyResponse | undefined;
}) {
  const { report, daily } = props;
  const [ref, { width }] = useMeasure<HTMLDivElement>();
  const chartWidth = width > 0 ? width : FALLBACK_WIDTH;
  return (
    <div ref={ref} style={{ width: '100%' }}>
      {daily ? (
        <DailyChart report={report} daily={daily} width={chartWidth} />
      ) : (
        <>
          <Typography variant="caption" color="textSecondary" component="p">
            Totals for the period: the daily series could not be loaded.
          </Typography>
          <TotalsChart report={report} width={chartWidth} />
        </>
      )}
    </div>
  );
}
