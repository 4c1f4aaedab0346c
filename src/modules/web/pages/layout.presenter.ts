/**
 * The shell of every web app page: document head, skip link, header with the main navigation
 * and the sign-out form, the main landmark, footer. Every value put into HTML passes through
 * `escapeHtml` (npm `escape-html`); the pages build on `html`, which does that for them.
 */
import escapeHtml from 'escape-html';

/** HTML already escaped (or written by us): `html` inserts it as it is. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = string | number | SafeHtml | undefined | null | false | readonly Part[];

function render(part: Part): string {
  if (part === undefined || part === null || part === false) return '';
  if (part instanceof SafeHtml) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** A template tag: literal text as written, every value escaped unless it is `SafeHtml`. */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Which entry of the navigation a page is. */
export type NavEntry = 'trips' | 'duty-of-care' | 'calendar' | 'none';

/** What the header shows of a signed-in user. */
export interface Viewer {
  name: string;
  isAdmin: boolean;
  csrfToken: string;
}

export interface PageOptions {
  title: string;
  body: SafeHtml;
  viewer?: Viewer;
  current?: NavEntry;
}

function navigation(viewer: Viewer, current: NavEntry): SafeHtml {
  const entries: [NavEntry, string, string][] = [
    ['trips', '/app/trips', 'My trips'],
    ['calendar', '/app/calendar', 'Calendar'],
  ];
  if (viewer.isAdmin) entries.push(['duty-of-care', '/app/duty-of-care', 'Duty of care']);
  return html`<nav aria-label="Main"><ul>${entries.map(
    ([entry, href, label]) =>
      html`<li><a href="${href}"${entry === current ? html` aria-current="page"` : ''}>${label}</a></li>`,
  )}</ul></nav>
<form method="post" action="/app/sign-out"><input type="hidden" name="csrf" value="${viewer.csrfToken}"><button type="submit">Sign out <span class="visually-hidden">${viewer.name}</span></button></form>`;
}

/** A whole page. */
export function page(options: PageOptions): string {
  const { viewer, current = 'none' } = options;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Itinera</title>
<link rel="stylesheet" href="/app/app.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
<a class="brand" href="${viewer ? '/app/trips' : '/'}">Itinera</a>
${viewer ? navigation(viewer, current) : html`<nav aria-label="Main"><ul><li><a href="/app/sign-in">Sign in</a></li></ul></nav>`}
</header>
<main id="main" tabindex="-1">
${options.body}
</main>
<footer><p>Itinera — your trips, as your travel agency booked them.</p></footer>
</body>
</html>
`.text;
}

/** An error page: what went wrong, and where to go next. */
export function errorPage(status: number, message: string, viewer?: Viewer): string {
  const title =
    status === 404
      ? 'Not found'
      : status === 403
        ? 'Not allowed'
        : status >= 500
          ? 'Something went wrong'
          : 'Bad request';
  return page({
    title,
    ...(viewer ? { viewer } : {}),
    body: html`<h1>${title}</h1><p class="error" role="alert">${message}</p><p><a href="${viewer ? '/app/trips' : '/'}">Back to ${viewer ? 'my trips' : 'the start page'}</a></p>`,
  });
}
