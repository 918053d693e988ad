import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
} from '@paved-road/plugin-paved-road-common';
import { FormEvent, useEffect, useState } from 'react';
import { type AuditPageFilters, normalizeFilters } from './filters';
import { ACTION_LABELS, OUTCOME_LABELS } from './labels';

const EMPTY: AuditPageFilters = {
  entityRef: '',
  actor: '',
  businessUnit: '',
  costCenter: '',
  action: '',
  outcome: '',
  from: '',
  to: '',
};

const TEXT_FIELDS = [
  ['entityRef', 'Entity', 'component:default/orders-service'],
  ['actor', 'Actor', 'user:default/guest'],
  ['businessUnit', 'Business unit', 'group:default/payments'],
  ['costCenter', 'Cost center', 'CC-1001'],
] as const;

/**
 * The audit page's filter form. Edits stay local until applied (a button or
 * Enter), so the list and the URL change once per search, not per keystroke.
 */
export const AuditFilters = (props: {
  value: AuditPageFilters;
  onApply: (filters: AuditPageFilters) => void;
}) => {
  const { value, onApply } = props;
  const [draft, setDraft] = useState(value);
  // The URL can change under the form (back button, a shared link).
  useEffect(() => setDraft(value), [value]);

  const set =
    (key: keyof AuditPageFilters) => (e: { target: { value: unknown } }) =>
      setDraft(prev => ({ ...prev, [key]: String(e.target.value) }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(normalizeFilters(draft));
  };

  return (
    <form onSubmit={submit} aria-label="Audit filters">
      <Grid container spacing={2} alignItems="flex-end">
        {TEXT_FIELDS.map(([key, label, placeholder]) => (
          <Grid item xs={12} sm={6} md={3} key={key}>
            <TextField
              id={`audit-filter-${key}`}
              fullWidth
              label={label}
              placeholder={placeholder}
              value={draft[key]}
              onChange={set(key)}
            />
          </Grid>
        ))}
        <Grid item xs={12} sm={6} md={3}>
          <TextField
            select
            id="audit-filter-action"
            fullWidth
            label="Action"
            // Shows "Any …" rather than an empty box under a floating label.
            SelectProps={{ displayEmpty: true }}
            InputLabelProps={{ shrink: true }}
            value={draft.action}
            onChange={set('action')}
          >
            <MenuItem value="">Any action</MenuItem>
            {AUDIT_ACTIONS.map(action => (
              <MenuItem key={action} value={action}>
                {ACTION_LABELS[action]}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid item xs={12} sm={6} md={3}>
          <TextField
            select
            id="audit-filter-outcome"
            fullWidth
            label="Outcome"
            SelectProps={{ displayEmpty: true }}
            InputLabelProps={{ shrink: true }}
            value={draft.outcome}
            onChange={set('outcome')}
          >
            <MenuItem value="">Any outcome</MenuItem>
            {AUDIT_OUTCOMES.map(outcome => (
              <MenuItem key={outcome} value={outcome}>
                {OUTCOME_LABELS[outcome]}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid item xs={6} sm={3} md={2}>
          <TextField
            fullWidth
            id="audit-filter-from"
            type="date"
            label="From"
            InputLabelProps={{ shrink: true }}
            value={draft.from}
            onChange={set('from')}
          />
        </Grid>
        <Grid item xs={6} sm={3} md={2}>
          <TextField
            fullWidth
            id="audit-filter-to"
            type="date"
            label="To"
            InputLabelProps={{ shrink: true }}
            inputProps={{ min: draft.from || undefined }}
            value={draft.to}
            onChange={set('to')}
          />
        </Grid>
        <Grid item>
          <Button type="submit" variant="contained" color="primary">
            Apply filters
          </Button>
        </Grid>
        <Grid item>
          <Button
            onClick={() => {
              setDraft(EMPTY);
              onApply(EMPTY);
            }}
          >
            Clear
          </Button>
        </Grid>
      </Grid>
    </form>
  );
};
