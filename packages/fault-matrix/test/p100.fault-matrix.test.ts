/** The fault matrix of the p100 adapter against its simulator (cells: expected-cells.ts). */
import { describeFaultMatrix } from './fault-matrix-suite';

describeFaultMatrix('p100');
