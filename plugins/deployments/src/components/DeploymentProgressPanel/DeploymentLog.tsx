import { makeStyles } from '@material-ui/core/styles';
import type { DeploymentLogLine } from '@paved-road/plugin-deployments-common';
import { useEffect, useRef } from 'react';

const useStyles = makeStyles(theme => ({
  log: {
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: 12,
    lineHeight: 1.5,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    margin: 0,
    padding: theme.spacing(1, 1.5),
    maxHeight: 360,
    minHeight: 120,
    overflowY: 'auto',
    backgroundColor: theme.palette.type === 'dark' ? '#111' : '#1e1e1e',
    color: '#e0e0e0',
    borderRadius: theme.shape.borderRadius,
  },
  empty: { color: '#9e9e9e' },
}));

/** How close to the end counts as "following" the log, in pixels. */
const FOLLOW_SLACK = 24;

/**
 * A deployment's log lines in a monospace box that keeps the newest line in
 * view, unless the reader has scrolled up to read an older one.
 */
export function DeploymentLog(props: { lines: DeploymentLogLine[] }) {
  const { lines } = props;
  const classes = useStyles();
  const box = useRef<HTMLPreElement>(null);
  const following = useRef(true);

  useEffect(() => {
    const element = box.current;
    if (element && following.current) {
      element.scrollTop = element.scrollHeight;
    }
  }, [lines.length]);

  return (
    <pre
      ref={box}
      role="log"
      aria-label="Deployment log"
      className={classes.log}
      onScroll={event => {
        const element = event.currentTarget;
        following.current =
          element.scrollHeight - element.scrollTop - element.clientHeight <
          FOLLOW_SLACK;
      }}
    >
      {lines.length === 0 ? (
        <span className={classes.empty}>No log lines yet.</span>
      ) : (
        lines.map(line => (
          <div key={line.seq} title={line.at}>
            {line.line}
          </div>
        ))
      )}
    </pre>
  );
}
