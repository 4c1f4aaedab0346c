import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FormTokens } from './authorize-form.js';

const binding = ['client', 'https://client.example/cb', 'ITINER', 'state', '', ''];

describe('FormTokens', () => {
  const forms = new FormTokens(randomBytes(32));

  it('accepts its own token for the same request within ten minutes', () => {
    const now = Date.now();
    const token = forms.issue(binding, now);
    expect(forms.check(token, binding, now + 9 * 60_000)).toBe('valid');
    expect(forms.check(token, binding, now + 11 * 60_000)).toBe('expired');
  });

  it('refuses a token for another request, another key, or tampered', () => {
    const token = forms.issue(binding);
    expect(forms.check(token, [...binding.slice(0, 3), 'other', '', ''])).toBe('invalid');
    expect(new FormTokens(randomBytes(32)).check(token, binding)).toBe('invalid');
    const [expires, mac] = token.split('.');
    expect(forms.check(`${Number(expires) + 600}.${mac}`, binding)).toBe('invalid');
    expect(forms.check('', binding)).toBe('invalid');
  });

  it('does not confuse field boundaries', () => {
    const token = forms.issue(['ab', 'c']);
    expect(forms.check(token, ['a', 'bc'])).toBe('invalid');
  });
});
