/**
 * `--user-map FILE` of `itinera import` (docs/IMPORT.md): which login id each traveller
 * identifier of the input stands for. JSON (`{"source id": "login id", …}`) or CSV (two
 * columns, source id then login id, an optional `source,login` header line).
 */
import fs from 'node:fs';

/** A user map bigger than this is refused rather than read into memory. */
const MAX_MAP_BYTES = 64 * 1024 * 1024;

/** One CSV field, its surrounding double quotes removed (`""` inside stands for `"`). */
function csvField(raw: string): string {
  const field = raw.trim();
  return field.startsWith('"') && field.endsWith('"') && field.length >= 2
    ? field.slice(1, -1).replaceAll('""', '"')
    : field;
}

/** The two fields of a CSV line, split at the first comma outside double quotes. */
function csvPair(line: string): [string, string] | undefined {
  let quoted = false;
  for (let k = 0; k < line.length; k++) {
    if (line[k] === '"') quoted = !quoted;
    else if (line[k] === ',' && !quoted)
      return [csvField(line.slice(0, k)), csvField(line.slice(k + 1))];
  }
  return undefined;
}

function fromCsv(text: string, file: string): Map<string, string> {
  const map = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const pair = csvPair(line);
    if (!pair || pair[0] === '' || pair[1] === '') {
      throw new Error(`${file}:${index + 1}: expected "source id,login id"`);
    }
    if (index === 0 && pair[0].toLowerCase() === 'source' && pair[1].toLowerCase() === 'login') {
      return;
    }
    map.set(pair[0], pair[1]);
  });
  return map;
}

function fromJson(text: string, file: string): Map<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${file} must hold one JSON object of "source id": "login id" pairs`);
  }
  const map = new Map<string, string>();
  for (const [source, login] of Object.entries(value)) {
    if (typeof login !== 'string' || login === '') {
      throw new Error(`${file}: the login id of "${source}" must be a non-empty string`);
    }
    map.set(source, login);
  }
  return map;
}

/** Reads a user map file; throws with the file and line of what is wrong. */
export function readUserMap(file: string): Map<string, string> {
  const size = fs.statSync(file).size;
  if (size > MAX_MAP_BYTES) throw new Error(`${file} is over ${MAX_MAP_BYTES} bytes`);
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  return text.trimStart().startsWith('{') ? fromJson(text, file) : fromCsv(text, file);
}
