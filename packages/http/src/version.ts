/** The library version sent in `User-Agent` (kept equal to package.json by a test). */
export const KYCPORT_VERSION = '0.1.0';
