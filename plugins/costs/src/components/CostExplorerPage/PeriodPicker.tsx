import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import { PERIODS, type PeriodId } from '../../lib/period';

/** The period presets, and the two days of a custom one. */
export function PeriodPicker(props: {
  period: PeriodId;
  custom: { from?: string; to?: string };
  onChange: (period: PeriodId, custom: { from?: string; to?: string }) => void;
}) {
  const { period, custom, onChange } = props;
  const invalidRange =
    period === 'custom' &&
    Boolean(custom.from && custom.to && custom.from > custom.to);
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
      <TextField
        select
        id="costs-period"
        label="Period"
        value={period}
        onChange={e => onChange(e.target.value as PeriodId, custom)}
        SelectProps={{ native: true }}
        variant="outlined"
        size="small"
      >
        {PERIODS.map(p => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </TextField>
      {period === 'custom' && (
        <>
          <TextField
            id="costs-period-from"
            label="From"
            type="date"
            value={custom.from ?? ''}
            onChange={e =>
              onChange(period, { ...custom, from: e.target.value })
            }
            InputLabelProps={{ shrink: true }}
            variant="outlined"
            size="small"
          />
          <TextField
            id="costs-period-to"
            label="To"
            type="date"
            value={custom.to ?? ''}
            onChange={e => onChange(period, { ...custom, to: e.target.value })}
            InputLabelProps={{ shrink: true }}
            variant="outlined"
            size="small"
            error={invalidRange}
            helperText={invalidRange ? 'after From' : undefined}
          />
        </>
      )}
    </Box>
  );
}
