import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import type { SettingsChange } from '../../lib/settingsDiff';

/** Old and new value of each changed setting, one row per setting. */
export function SettingsDiffTable(props: {
  changes: SettingsChange[];
  beforeTitle?: string;
  afterTitle?: string;
}) {
  const { changes, beforeTitle = 'Before', afterTitle = 'After' } = props;
  return (
    <Table size="small" aria-label="Changed settings">
      <TableHead>
        <TableRow>
          <TableCell>Setting</TableCell>
          <TableCell>{beforeTitle}</TableCell>
          <TableCell>{afterTitle}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {changes.map(change => (
          <TableRow key={change.path} data-path={change.path}>
            <TableCell component="th" scope="row">
              {change.label}
            </TableCell>
            <TableCell>
              <del>{change.before}</del>
            </TableCell>
            <TableCell>
              <ins>{change.after}</ins>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
