import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import TrendingDownIcon from '@material-ui/icons/TrendingDown';
import TrendingUpIcon from '@material-ui/icons/TrendingUp';
import type { RollupResponse } from '@paved-road/plugin-costs-common';
import { formatChange } from '../../lib/format';

const MOVERS = 5;

/** The groups whose cost changed most against the previous period, either way. */
export function TopMovers({ report }: { report: RollupResponse }) {
  const movers = report.items
    .filter(item => item.total !== item.previousTotal)
    .sort(
      (a, b) =>
        Math.abs(b.total - b.previousTotal) -
        Math.abs(a.total - a.previousTotal),
    )
    .slice(0, MOVERS);
  if (movers.length === 0) {
    return (
      <Typography color="textSecondary">
        Nothing changed against the previous period.
      </Typography>
    );
  }
  return (
    <List dense aria-label="Top movers">
      {movers.map(item => (
        <ListItem key={item.key} disableGutters>
          <ListItemIcon>
            {item.total > item.previousTotal ? (
              <TrendingUpIcon color="error" titleAccess="Up" />
            ) : (
              <TrendingDownIcon color="primary" titleAccess="Down" />
            )}
          </ListItemIcon>
          <ListItemText
            primary={item.title}
            secondary={formatChange(
              item.total,
              item.previousTotal,
              report.currency,
            )}
          />
        </ListItem>
      ))}
    </List>
  );
}
