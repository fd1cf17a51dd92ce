/** The fault matrix of the plu adapter against its simulator (cells: expected-cells.ts). */
import { describeFaultMatrix } from './fault-matrix-suite';

describeFaultMatrix('plu');
