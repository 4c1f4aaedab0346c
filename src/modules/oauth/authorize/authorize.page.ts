/**
 * The authorize endpoint's HTML: the sign-in and consent page and the error page. Server-
 * rendered, no script, no external assets; every dynamic value goes through `escapeHtml`.
 * The one inline style sheet is allowed by its hash in the Content-Security-Policy.
 */
import { createHash } from 'node:crypto';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `
body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1f2328;margin:0}
main{max-width:26rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;
box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:1.3rem;margin-top:0}ul{padding-left:1.2rem}
label{display:block;margin:.8rem 0 .2rem;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;
font-size:1rem;border:1px solid #8c959f;border-radius:4px}
.actions{display:flex;gap:.6rem;margin-top:1.4rem}
button{flex:1;padding:.6rem;font-size:1rem;border-radius:4px;border:1px solid #8c959f;
background:#fff;cursor:pointer}
button.primary{background:#0969da;border-color:#0969da;color:#fff}
.error{background:#ffebe9;border:1px solid #ff8182;padding:.6rem;border-radius:4px}
.scope{font-family:ui-monospace,monospace;font-size:.85em;color:#57606a}
`.trim();

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** The Content-Security-Policy of these pages; forms may post to us and to `formTargets`. */
export function pagePolicy(formTargets: readonly string[] = []): string {
  const formAction = formTargets.length > 0 ? `'self' ${formTargets.join(' ')}` : "'none'";
  // Chrome applies form-action to the redirect that answers the POST, so the client's
  // origin (a registered redirect URI) must be allowed too.
  return [
    "default-src 'none'",
    `style-src 'sha256-${STYLE_HASH}'`,
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

// What each scope lets the application do, in the user's words; others show their name.
const SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Confirm who you are',
  ITINER: 'Read, create, change and cancel your trips and bookings',
  'user.read': 'Read your user profile',
  'company.read': "Read your company's details",
  TRVPRF: 'Read your travel profile',
};

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}

export interface SignInPageModel {
  appName: string;
  scopes: readonly string[];
  /** Where the form posts: the page's own path (the v0 page, or the pre-2017 Login.aspx). */
  action: string;
  /** The authorization request, carried to the POST unchanged. */
  hidden: Readonly<Record<string, string>>;
  /** A message about the previous attempt. */
  error?: string;
  /** The login id typed before (never the password). */
  loginId?: string;
}

/** The sign-in and consent page. */
export function renderSignInPage(model: SignInPageModel): string {
  const scopes = model.scopes
    .map((scope) => {
      const description = SCOPE_DESCRIPTIONS[scope];
      return description
        ? `<li>${escapeHtml(description)} <span class="scope">(${escapeHtml(scope)})</span></li>`
        : `<li><span class="scope">${escapeHtml(scope)}</span></li>`;
    })
    .join('\n');
  const hidden = Object.entries(model.hidden)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('\n');
  const error = model.error ? `<p class="error" role="alert">${escapeHtml(model.error)}</p>` : '';
  const app = escapeHtml(model.appName);
  // Allow comes first: pressing Enter in a field submits with the form's first button.
  return layout(
    `Sign in to allow ${model.appName}`,
    `<h1>Sign in to allow <strong>${app}</strong></h1>
<p><strong>${app}</strong> asks to:</p>
<ul>
${scopes}
</ul>
${error}
<form method="post" action="${escapeHtml(model.action)}">
${hidden}
<label for="login_id">Login id</label>
<input type="text" id="login_id" name="login_id" autocomplete="username" maxlength="255" value="${escapeHtml(model.loginId ?? '')}" required autofocus>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" maxlength="1024" required>
<div class="actions">
<button type="submit" name="action" value="allow" class="primary">Sign in and allow</button>
<button type="submit" name="action" value="deny" formnovalidate>Deny</button>
</div>
</form>`,
  );
}

/** A page for requests that cannot be sent back to the application. */
export function renderErrorPage(message: string): string {
  return layout(
    'Authorization error',
    `<h1>This authorization request cannot be completed</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>
<p>Go back to the application and start again. If the problem persists, contact its provider.</p>`,
  );
}
