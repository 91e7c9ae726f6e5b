// The page's CSV is the package's (pkg/lib/csv.js): one rule for every download.
export { csv } from '../../pkg/lib/csv.js';
