import { describe, expect, it } from 'vitest';
import { redactedUrl } from './log-redaction.js';

describe('redactedUrl', () => {
  it('keeps a URL without a query as it is (the same string)', () => {
    const url = '/api/travel/trip/v1.1/abc123';
    expect(redactedUrl(url)).toBe(url);
    expect(redactedUrl('/x?')).toBe('/x?');
  });

  it('keeps parameter names and replaces every value', () => {
    expect(
      redactedUrl('/api/travel/trip/v1.1?loginid=alice%40acme.example&userid_type=login&flag'),
    ).toBe('/api/travel/trip/v1.1?loginid=[redacted]&userid_type=[redacted]&flag');
    expect(redactedUrl('/oauth2/v0/authorize?code=abc&state=s1&access_token=t&empty=')).toBe(
      '/oauth2/v0/authorize?code=[redacted]&state=[redacted]&access_token=[redacted]&empty=',
    );
    expect(redactedUrl('/x?a=1=2&&b=%3D')).toBe('/x?a=[redacted]&&b=[redacted]');
  });

  it('redacts a name that does not look like one (it may be a value)', () => {
    expect(redactedUrl('/x?alice%40acme.example')).toBe('/x?[redacted]');
    expect(redactedUrl('/x?alice@acme.example=1&ok=2')).toBe(
      '/x?[redacted]=[redacted]&ok=[redacted]',
    );
    expect(redactedUrl(`/x?${'n'.repeat(65)}=1`)).toBe('/x?[redacted]=[redacted]');
  });
});
