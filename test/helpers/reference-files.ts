/**
 * Files the tests read: the published samples and XSD under `reference/concur/` (evidence,
 * never edited) and the test fixtures under `test/fixtures/`. Paths start from the repository
 * root, so a test reads the same file wherever its folder sits.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The repository root, where `npm` and the CLI run. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** The folder of the published Concur payload samples. */
export const SAMPLES_DIR = path.join(REPO_ROOT, 'reference/concur/samples');

/** Reads a published sample payload. */
export function sample(name: string): string {
  return fs.readFileSync(path.join(SAMPLES_DIR, name), 'utf8');
}

/** The published Itinerary XSD. */
export function xsdText(): string {
  return fs.readFileSync(
    path.join(REPO_ROOT, 'reference/concur/xsd/ItinServices_Public_0.xsd'),
    'utf8',
  );
}

/** The path of a file under `test/fixtures/`. */
export function fixturePath(name: string): string {
  return path.join(REPO_ROOT, 'test/fixtures', name);
}
