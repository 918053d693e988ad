import Typography from '@material-ui/core/Typography';
import type { DailyCost } from '@paved-road/plugin-costs-common';
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
import type { RollupReport } from '../../api/types';
import { formatDay, formatMoney, formatMoneyCompact } from '../../lib/format';

const HEIGHT = 320;
// Until the container is measured (first paint, or jsdom, which never
// measures) the chart takes this width rather than rendering nothing.
const FALLBACK_WIDTH = 720;
// More stacks than this are unreadable: the rest are summed as "Other".
const MAX_SERIES = 8;
// Colour-blind safe (Okabe–Ito), then grey for Other and Unallocated.
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
const OTHER_COLOUR = '#9E9E9E';
const UNALLOCATED_COLOUR = '#616161';

interface Series {
  id: string;
  name: string;
  colour: string;
  daily: DailyCost[];
}

/** The series to stack: the biggest groups, the rest as one, unallocated. */
function seriesOf(report: RollupReport): Series[] {
  const items = [...report.items].sort((a, b) => b.total - a.total);
  const shown = items.slice(0, MAX_SERIES);
  const rest = items.slice(MAX_SERIES);
  const series: Series[] = shown.map((item, i) => ({
    id: `s${i}`,
    name: item.title,
    colour: COLOURS[i],
    daily: item.daily ?? [],
  }));
  if (rest.length > 0) {
    const sums = new Map<string, number>();
    for (const item of rest) {
      for (const day of item.daily ?? []) {
        sums.set(day.date, (sums.get(day.date) ?? 0) + day.amount);
      }
    }
    series.push({
      id: 'other',
      name: `Other (${rest.length})`,
      colour: OTHER_COLOUR,
      daily: [...sums].map(([date, amount]) => ({ date, amount })),
    });
  }
  if (report.unallocated.daily) {
    series.push({
      id: 'unallocated',
      name: 'Unallocated',
      colour: UNALLOCATED_COLOUR,
      daily: report.unallocated.daily,
    });
  }
  return series;
}

/** One row per day, one column per series, zero where a series had none. */
function rowsOf(series: Series[]): Array<Record<string, number | string>> {
  const rows = new Map<string, Record<string, number | string>>();
  for (const s of series) {
    for (const day of s.daily) {
      const row = rows.get(day.date) ?? { date: day.date };
      row[s.id] = ((row[s.id] as number | undefined) ?? 0) + day.amount;
      rows.set(day.date, row);
    }
  }
  return [...rows.values()]
    .sort((a, b) => String(a.date).localeCompare(String(b.date)))
    .map(row =>
      Object.fromEntries([
        ...series.map(s => [s.id, 0]),
        ...Object.entries(row),
      ]),
    );
}

/** Whether the backend sent a daily series for every group. */
export function hasDailySeries(report: RollupReport): boolean {
  return report.items.length > 0 && report.items.every(item => item.daily);
}

/**
 * Daily cost stacked by group. When the backend sends totals only, the
 * groups' totals side by side instead, and says so.
 */
export function StackedDailyChart({ report }: { report: RollupReport }) {
  const [ref, { width }] = useMeasure<HTMLDivElement>();
  const chartWidth = width > 0 ? width : FALLBACK_WIDTH;
  const money = (value: number) => formatMoney(value, report.currency);
  const axisMoney = (value: number) =>
    formatMoneyCompact(value, report.currency);

  if (!hasDailySeries(report)) {
    const totals = [...report.items]
      .sort((a, b) => b.total - a.total)
      .map(item => ({ name: item.title, total: item.total }));
    return (
      <div ref={ref} style={{ width: '100%' }}>
        <Typography variant="caption" color="textSecondary" component="p">
          Totals for the period: the costs backend sent no daily series.
        </Typography>
        <BarChart
          width={chartWidth}
          height={HEIGHT}
          data={totals}
          title={`Cost by group in ${report.currency}`}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" interval={0} />
          <YAxis tickFormatter={axisMoney} width={72} />
          <Tooltip formatter={(value: number) => [money(value), 'Total']} />
          <Bar
            dataKey="total"
            name="Total"
            fill={COLOURS[0]}
            isAnimationActive={false}
          />
        </BarChart>
      </div>
    );
  }

  const series = seriesOf(report);
  return (
    <div ref={ref} style={{ width: '100%' }}>
      <BarChart
        width={chartWidth}
        height={HEIGHT}
        data={rowsOf(series)}
        title={`Daily cost by group in ${report.currency}`}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="date" tickFormatter={formatDay} minTickGap={16} />
        <YAxis tickFormatter={axisMoney} width={72} />
        <Tooltip
          labelFormatter={(day: string) => formatDay(day)}
          formatter={(value: number, name: string) => [money(value), name]}
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
    </div>
  );
}
