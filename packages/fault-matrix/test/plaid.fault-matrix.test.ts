/** The fault matrix of the plaid adapter against its simulator (cells: expected-cells.ts). */
import { describeFaultMatrix } from './fault-matrix-suite';

describeFaultMatrix('plaid');
