/** `pnpm start`: builds what it needs, then onboards one user through the Express host. */
import { runExample } from './run-example';

runExample((line) => console.log(line)).then(
  (summary) => {
    console.log(`\nonboarded ${summary.userRef}: ${summary.created} -> ${summary.final}`);
    process.exitCode = summary.final === 'approved' ? 0 : 1;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
