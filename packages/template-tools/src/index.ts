/**
 * `paved-road-template`: checks Backstage software templates before they are
 * registered and renders them through the scaffolder's dry run.
 *
 * @packageDocumentation
 */
import { main } from './cli';

main(process.argv.slice(2)).then(
  code => process.exit(code),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(2);
  },
);
