import { useTheme } from '@material-ui/core/styles';
import type { DailyCost } from '@paved-road/plugin-costs-common';
import useMeasure from 'react-use/esm/useMeasure';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDay, formatMoney, formatMoneyCompact } from '../../lib/format';

const HEIGHT = 280;
// Until the container is measured (first paint, or jsdom, which never
// measures) the chart takes this width rather than rendering nothing.
const FALLBACK_WIDTH = 720;

/** Daily cost as bars, one per day of the report, as wide as its container. */
export function DailyCostChart(props: {
  daily: DailyCost[];
  currency: string;
}) {
  const { daily, currency } = props;
  const theme = useTheme();
  const [ref, { width }] = useMeasure<HTMLDivElement>();
  return (
    <div ref={ref} style={{ width: '100%' }}>
      <BarChart
        width={width > 0 ? width : FALLBACK_WIDTH}
        height={HEIGHT}
        data={daily}
        title={`Daily cost in ${currency}`}
        margin={{ top: 8, right: 8, bottom: 8, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="date" tickFormatter={formatDay} minTickGap={16} />
        <YAxis
          tickFormatter={(value: number) => formatMoneyCompact(value, currency)}
          width={72}
        />
        <Tooltip
          labelFormatter={(day: string) => formatDay(day)}
          formatter={(value: number) => [formatMoney(value, currency), 'Cost']}
        />
        <Bar
          dataKey="amount"
          name="Cost"
          fill={theme.palette.primary.main}
          isAnimationActive={false}
        />
      </BarChart>
    </div>
  );
}
