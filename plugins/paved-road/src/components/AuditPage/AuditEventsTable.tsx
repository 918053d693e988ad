import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Collapse from '@material-ui/core/Collapse';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandLessIcon from '@material-ui/icons/KeyboardArrowUp';
import ExpandMoreIcon from '@material-ui/icons/KeyboardArrowDown';
import type { AuditEvent } from '@paved-road/plugin-paved-road-common';
import { useState } from 'react';
import { Actor } from './Actor';
import { actionLabel, formatTime } from './labels';
import { OutcomeChip } from './OutcomeChip';

const useStyles = makeStyles(theme => ({
  nowrap: { whiteSpace: 'nowrap' },
  // The details row sits under its event: no border between the two.
  eventRow: { '& > td': { borderBottom: 'unset' } },
  details: {
    margin: 0,
    padding: theme.spacing(1, 2),
    fontFamily: theme.typography.fontFamily,
    fontSize: theme.typography.body2.fontSize,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
  },
}));

/** A catalog ref as a link; `—` when the event has none. */
const Ref = ({ value }: { value: string | null }) =>
  value ? <EntityRefLink entityRef={value} /> : <>—</>;

const EventRow = ({ event }: { event: AuditEvent }) => {
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const detailsId = `audit-event-details-${event.id}`;
  return (
    <>
      <TableRow className={classes.eventRow} data-event-id={event.id}>
        <TableCell padding="checkbox">
          <IconButton
            size="small"
            aria-label={open ? 'Hide details' : 'Show details'}
            aria-expanded={open}
            aria-controls={detailsId}
            onClick={() => setOpen(!open)}
          >
            {open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
          </IconButton>
        </TableCell>
        <TableCell className={classes.nowrap}>
          <time dateTime={event.occurredAt} title={event.occurredAt}>
            {formatTime(event.occurredAt)}
          </time>
        </TableCell>
        <TableCell>
          <Actor actor={event.actor} />
        </TableCell>
        <TableCell className={classes.nowrap}>
          {actionLabel(event.action)}
        </TableCell>
        <TableCell>
          <OutcomeChip outcome={event.outcome} />
        </TableCell>
        <TableCell>
          <Ref value={event.entityRef} />
        </TableCell>
        <TableCell>
          <Ref value={event.owner} />
        </TableCell>
        <TableCell>
          <Ref value={event.businessUnit} />
        </TableCell>
        <TableCell className={classes.nowrap}>
          {event.costCenter ?? '—'}
        </TableCell>
        <TableCell>{event.summary}</TableCell>
      </TableRow>
      <TableRow>
        <TableCell style={{ paddingTop: 0, paddingBottom: 0 }} colSpan={10}>
          <Collapse in={open} timeout="auto" unmountOnExit>
            <Box id={detailsId} role="region" aria-label="Event details">
              <Typography variant="caption" color="textSecondary">
                Event {event.id}
              </Typography>
              <pre className={classes.details}>
                {Object.keys(event.details).length > 0
                  ? JSON.stringify(event.details, null, 2)
                  : 'No details recorded.'}
              </pre>
            </Box>
          </Collapse>
        </TableCell>
      </TableRow>
    </>
  );
};

/** Audit events, newest first; each row opens to its recorded details. */
export const AuditEventsTable = ({ events }: { events: AuditEvent[] }) => (
  <Table size="small" aria-label="Audit events">
    <TableHead>
      <TableRow>
        <TableCell padding="checkbox" />
        <TableCell>Time</TableCell>
        <TableCell>Actor</TableCell>
        <TableCell>Action</TableCell>
        <TableCell>Outcome</TableCell>
        <TableCell>Entity</TableCell>
        <TableCell>Owner</TableCell>
        <TableCell>Business unit</TableCell>
        <TableCell>Cost center</TableCell>
        <TableCell>Summary</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {events.map(event => (
        <EventRow key={event.id} event={event} />
      ))}
    </TableBody>
  </Table>
);
