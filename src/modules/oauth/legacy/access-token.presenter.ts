/**
 * The `<Access_Token>` answer of the pre-2017 endpoints, as Concur's native flow sample shows it:
 * no namespace, `Instance_Url`, `Token`, `Expiration_date` (US-style UTC date and time,
 * `6/1/2014 8:00:00 AM`) and, on a sign-in, `Refresh_Token`.
 */
import type { XmlNode } from '../../../xml/document.js';
import {
  type XmlDocument,
  xmlDocument,
  xmlElement,
  xmlFields,
} from '../../../xml/output/xml-output.js';
import type { LegacyToken } from './legacy-session.js';

/** `M/D/YYYY h:mm:ss AM|PM` in UTC, as the doc's samples (`3/30/2013 2:19:10 PM`). */
export function formatLegacyDate(date: Date): string {
  const hours = date.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${hours % 12 || 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  const day = `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()}`;
  return `${day} ${time} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** The `<Access_Token>` document of `token`. */
export function presentAccessToken(token: LegacyToken): XmlDocument {
  const fields: XmlNode = {
    Instance_Url: token.instanceUrl,
    Token: token.token,
    Expiration_date: formatLegacyDate(new Date(token.expiresAt)),
  };
  if (token.refreshToken !== undefined) fields.Refresh_Token = token.refreshToken;
  return xmlDocument(xmlElement('Access_Token', [xmlFields(fields)]));
}
