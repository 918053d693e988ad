import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { UpgradeDiff } from '@paved-road/plugin-templates-common';
import { templateUpgradesApiRef } from '../../api/TemplateUpgradesApi';
import { errorMessage } from '../../lib/errors';

const LINE_COLOURS: Record<string, string> = {
  '+': '#1b5e20',
  '-': '#b71c1c',
  '@': '#0d47a1',
};

/**
 * The compare view of a host without one (local git): the patch the
 * upgrade brings, loaded on demand.
 */
export function UpgradeDiffView({ jobId }: { jobId: string }) {
  const api = useApi(templateUpgradesApiRef);
  const [diff, setDiff] = useState<UpgradeDiff>();
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string>();

  if (!diff) {
    return (
      <Box>
        <Button
          size="small"
          variant="outlined"
          disabled={loading}
          onClick={async () => {
            setLoading(true);
            setFailure(undefined);
            try {
              setDiff(await api.getUpgradeDiff(jobId));
            } catch (error) {
              setFailure(errorMessage(error));
            } finally {
              setLoading(false);
            }
          }}
        >
          Show the changes
        </Button>
        {failure && <Alert severity="error">{failure}</Alert>}
      </Box>
    );
  }
  return (
    <Box>
      <Typography variant="body2">
        Changes from {diff.base.slice(0, 12)} to {diff.head.slice(0, 12)}
        {diff.truncated ? ' (the first megabyte; clone the branch for all)' : ''}
        :
      </Typography>
      <Box
        component="pre"
        aria-label="Changes"
        style={{ maxHeight: 400, overflow: 'auto', fontSize: 12, margin: 0 }}
      >
        {diff.patch.split('\n').map((line, i) => (
          <div
            key={i}
            style={{
              color: line.startsWith('+++') || line.startsWith('---')
                ? undefined
                : LINE_COLOURS[line[0]],
            }}
          >
            {line || ' '}
          </div>
        ))}
      </Box>
    </Box>
  );
}
