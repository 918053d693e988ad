import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import IconButton from '@material-ui/core/IconButton';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import {
  getAt,
  setAt,
  settingsFields,
  type SettingsDraft,
  type SettingsField,
} from '../../lib/settingsFields';

interface FieldProps<F extends SettingsField> {
  field: F;
  draft: SettingsDraft;
  errors: Record<string, string>;
  onChange: (draft: SettingsDraft) => void;
}

/** Ids tie each label and message to its input (and tests find them so). */
function inputId(path: string): string {
  return `deployment-settings-${path.replace(/\./g, '-')}`;
}

function bounds(min?: number, max?: number, unit?: string): string {
  const range = [min, max].every(n => n !== undefined)
    ? `${min}–${max}`
    : (min !== undefined && `at least ${min}`) ||
      (max !== undefined && `at most ${max}`) ||
      '';
  return unit && range ? `${range} ${unit}` : range;
}

function TextInput(props: FieldProps<SettingsField & { kind: 'text' }>) {
  const { field, draft, errors, onChange } = props;
  const error = errors[field.path];
  return (
    <TextField
      id={inputId(field.path)}
      label={field.label}
      value={(getAt(draft, field.path) as string | undefined) ?? ''}
      onChange={e => onChange(setAt(draft, field.path, e.target.value))}
      error={Boolean(error)}
      helperText={error}
      fullWidth
      margin="dense"
      variant="outlined"
    />
  );
}

function IntegerInput(props: FieldProps<SettingsField & { kind: 'integer' }>) {
  const { field, draft, errors, onChange } = props;
  const error = errors[field.path];
  const value = getAt(draft, field.path);
  return (
    <TextField
      id={inputId(field.path)}
      label={field.label}
      type="number"
      value={typeof value === 'number' && !Number.isNaN(value) ? value : ''}
      onChange={e =>
        onChange(
          setAt(
            draft,
            field.path,
            e.target.value === '' ? undefined : Number(e.target.value),
          ),
        )
      }
      inputProps={{ min: field.min, max: field.max, step: 1 }}
      InputProps={
        field.unit
          ? {
              endAdornment: (
                <InputAdornment position="end">{field.unit}</InputAdornment>
              ),
            }
          : undefined
      }
      error={Boolean(error)}
      helperText={error ?? bounds(field.min, field.max, field.unit)}
      fullWidth
      margin="dense"
      variant="outlined"
    />
  );
}

function SelectInput(props: FieldProps<SettingsField & { kind: 'select' }>) {
  const { field, draft, errors, onChange } = props;
  const error = errors[field.path];
  return (
    <TextField
      select
      id={inputId(field.path)}
      label={field.label}
      value={(getAt(draft, field.path) as string | undefined) ?? ''}
      onChange={e => onChange(setAt(draft, field.path, e.target.value))}
      SelectProps={{ native: true }}
      error={Boolean(error)}
      helperText={error}
      fullWidth
      margin="dense"
      variant="outlined"
    >
      {field.options.map(option => (
        <option key={option} value={option}>
          {option}
        </option>
      ))}
    </TextField>
  );
}

function ListInput(props: FieldProps<SettingsField & { kind: 'list' }>) {
  const { field, draft, errors, onChange } = props;
  const raw = getAt(draft, field.path);
  const items = Array.isArray(raw) ? (raw as string[]) : [];
  const full = field.maxItems !== undefined && items.length >= field.maxItems;
  const item = field.itemLabel;
  const update = (next: string[]) => onChange(setAt(draft, field.path, next));
  const listError = errors[field.path];

  return (
    <Box
      component="fieldset"
      border={0}
      padding={0}
      margin={0}
      marginTop={1}
      aria-label={field.label}
    >
      <FormLabel component="legend">{field.label}</FormLabel>
      {items.map((value, index) => {
        const error = errors[`${field.path}.${index}`];
        return (
          <Box key={index} display="flex" alignItems="flex-start">
            <TextField
              id={inputId(`${field.path}.${index}`)}
              label={`${item} ${index + 1}`}
              value={value}
              onChange={e =>
                update(items.map((v, i) => (i === index ? e.target.value : v)))
              }
              error={Boolean(error)}
              helperText={error}
              fullWidth
              margin="dense"
              variant="outlined"
            />
            <IconButton
              aria-label={`Remove ${item.toLocaleLowerCase()} ${index + 1}`}
              disabled={items.length <= field.minItems}
              onClick={() => update(items.filter((_, i) => i !== index))}
            >
              <DeleteIcon />
            </IconButton>
          </Box>
        );
      })}
      <Button
        size="small"
        startIcon={<AddIcon />}
        disabled={full}
        onClick={() => update([...items, ''])}
      >
        Add {item.toLocaleLowerCase()}
      </Button>
      <FormHelperText error={Boolean(listError)}>
        {listError ??
          (field.maxItems !== undefined &&
            `At most ${field.maxItems} ${field.label.toLocaleLowerCase()}`)}
      </FormHelperText>
    </Box>
  );
}

/**
 * An input for every field of the deployment settings schema; `errors` are
 * the schema's messages keyed by field path.
 */
export function SettingsForm(props: {
  draft: SettingsDraft;
  errors: Record<string, string>;
  onChange: (draft: SettingsDraft) => void;
}) {
  return (
    <>
      {settingsFields
        .filter(field => field.shownWhen?.(props.draft) ?? true)
        .map(field => {
          switch (field.kind) {
            case 'text':
              return <TextInput key={field.path} {...props} field={field} />;
            case 'integer':
              return <IntegerInput key={field.path} {...props} field={field} />;
            case 'select':
              return <SelectInput key={field.path} {...props} field={field} />;
            case 'list':
              return <ListInput key={field.path} {...props} field={field} />;
            default:
              return null;
          }
        })}
    </>
  );
}
