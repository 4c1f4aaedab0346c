/** The package version, for `itinera --version`. */
import { packageManifest } from '../package-manifest.js';

/** The `version` of Itinera's package.json. */
export function packageVersion(): string {
  return packageManifest().version;
}
