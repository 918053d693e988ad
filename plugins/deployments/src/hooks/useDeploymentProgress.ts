import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  deploymentSignalChannel,
  FINISHED_DEPLOYMENT_STATUSES,
  type DeploymentDetails,
  type DeploymentLogLine,
  type DeploymentSignal,
} from '@paved-road/plugin-deployments-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { deploymentsApiRef } from '../api/DeploymentsApi';

/** Without signals: stages and log are polled, at most once a second. */
export const POLL_INTERVAL_MS = 1000;
/** With signals the stages are pushed, but log lines are not: read them on. */
export const LOG_POLL_INTERVAL_MS = 2000;
/** Lines per events request: a long build log arrives in a few pages. */
const EVENTS_PAGE = 500;

export interface DeploymentProgress {
  details?: DeploymentDetails;
  lines: DeploymentLogLine[];
  /** The deployment and its log are complete: nothing more will change. */
  done: boolean;
  /** The last read failed; the previous state stays shown. */
  error?: Error;
  /** Whether stages arrive pushed by signals (or are polled). */
  live: boolean;
  /** Takes an answer of a write (e.g. cancel) as the current state. */
  setDetails(details: DeploymentDetails): void;
}

interface State {
  id: string;
  details?: DeploymentDetails;
  lines: DeploymentLogLine[];
  logDone: boolean;
  error?: Error;
}

/**
 * Follows one deployment: its details (stages, status) and its log by
 * cursor. A signal on the entity's channel about this deployment reads it
 * at once; otherwise it is polled until it has finished and its log is
 * read to the end.
 */
export function useDeploymentProgress(
  deploymentId: string,
  entityRef: string,
): DeploymentProgress {
  const api = useApi(deploymentsApiRef);
  const { lastSignal, isSignalsAvailable } = useSignal(
    deploymentSignalChannel(entityRef),
  );
  const [state, setState] = useState<State>({
    id: deploymentId,
    lines: [],
    logDone: false,
  });
  const cursor = useRef<string | undefined>(undefined);
  // One read at a time; a read asked for meanwhile runs right after.
  const reading = useRef<Promise<void> | undefined>(undefined);
  const again = useRef(false);
  const current = useRef(deploymentId);

  // Reads whichever deployment is followed when it starts, so a read queued
  // before the deployment changed reads the new one.
  const readOnce = useCallback(async () => {
    const id = current.current;
    try {
      const details = await api.getDeployment(id);
      const lines: DeploymentLogLine[] = [];
      let logDone = false;
      for (;;) {
        const page = await api.getDeploymentEvents(id, {
          after: cursor.current,
          limit: EVENTS_PAGE,
        });
        if (current.current !== id) return;
        cursor.current = page.cursor;
        lines.push(...page.items);
        if (page.items.length === 0) {
          logDone = page.finished;
          break;
        }
        if (page.items.length < EVENTS_PAGE && !page.finished) break;
      }
      if (current.current !== id) return;
      setState(previous => ({
        id,
        details,
        lines: lines.length ? [...previous.lines, ...lines] : previous.lines,
        logDone,
      }));
    } catch (error) {
      if (current.current !== id) return;
      setState(previous => ({ ...previous, error: error as Error }));
    }
  }, [api]);

  const read = useCallback(() => {
    if (reading.current) {
      again.current = true;
      return;
    }
    reading.current = (async () => {
      do {
        again.current = false;
        await readOnce();
      } while (again.current);
      reading.current = undefined;
    })();
  }, [readOnce]);

  // A new deployment to follow: start over from the first log line.
  useEffect(() => {
    current.current = deploymentId;
    cursor.current = undefined;
    again.current = false;
    setState({ id: deploymentId, lines: [], logDone: false });
    read();
  }, [deploymentId, read]);

  const finished =
    state.id === deploymentId &&
    state.details !== undefined &&
    FINISHED_DEPLOYMENT_STATUSES.includes(state.details.status);
  const done = finished && state.logDone;

  useEffect(() => {
    if (done) return undefined;
    const timer = setInterval(
      read,
      isSignalsAvailable ? LOG_POLL_INTERVAL_MS : POLL_INTERVAL_MS,
    );
    return () => clearInterval(timer);
  }, [done, isSignalsAvailable, read]);

  useEffect(() => {
    const signal = lastSignal as Partial<DeploymentSignal> | null;
    if (signal?.deploymentId === deploymentId) {
      read();
    }
  }, [lastSignal, deploymentId, read]);

  const setDetails = useCallback(
    (details: DeploymentDetails) =>
      setState(previous =>
        previous.id === details.id ? { ...previous, details } : previous,
      ),
    [],
  );

  const own = state.id === deploymentId;
  return {
    details: own ? state.details : undefined,
    lines: own ? state.lines : [],
    done,
    error: own ? state.error : undefined,
    live: isSignalsAvailable,
    setDetails,
  };
}
