import { Link } from '@backstage/core-components';

/** A commit as its short sha, linked when the host has a page for it. */
export function CommitLink(props: {
  commitSha: string | null;
  commitUrl: string | null;
}) {
  const { commitSha, commitUrl } = props;
  if (!commitSha) {
    return <>—</>;
  }
  const short = <code>{commitSha.slice(0, 7)}</code>;
  return commitUrl ? (
    <Link to={commitUrl} title={commitSha}>
      {short}
    </Link>
  ) : (
    <span title={commitSha}>{short}</span>
  );
}
