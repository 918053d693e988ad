/**
 * The `paved-road` command line.
 *
 * @packageDocumentation
 */
import { main } from './main';

main(process.argv);
