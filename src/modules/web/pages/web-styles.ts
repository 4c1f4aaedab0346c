/**
 * The web app's one stylesheet, served at `/app/app.css` (a module rather than a file so that
 * the esbuild bundle in dist/ carries it). Mobile first: one column at 390 px, wider margins
 * and a two-column time line from 48 rem. Colours keep a contrast of at least 4.5:1.
 */
export const WEB_STYLES = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1a1a1a;background:#f6f7f9}
body{margin:0}
a{color:#0b57d0}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem}
header{background:#123a6b;color:#fff;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
header a{color:#fff}
.brand{font-weight:700;font-size:1.2rem;text-decoration:none}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
nav a[aria-current="page"]{font-weight:700;text-decoration-thickness:3px}
header form{margin-left:auto}
button,.button{font:inherit;background:#0b57d0;color:#fff;border:0;border-radius:.4rem;padding:.5rem 1rem;cursor:pointer;text-decoration:none;display:inline-block}
header button{background:#fff;color:#123a6b}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.tabs{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:0 0 1rem}
.tabs a{display:block;padding:.4rem .9rem;border-radius:1rem;background:#e3e8ef;color:#1a1a1a;text-decoration:none}
.tabs a[aria-current="page"]{background:#123a6b;color:#fff}
.cards{list-style:none;padding:0;margin:0;display:grid;gap:.75rem}
.card{background:#fff;border:1px solid #d5dae1;border-radius:.6rem;padding:.75rem 1rem}
.card h2,.card h3{margin:0 0 .25rem;font-size:1.1rem}
.meta{color:#4a5360;margin:0}
.badge{display:inline-block;font-size:.8rem;font-weight:700;padding:0 .5rem;border-radius:.6rem;background:#fde2e1;color:#8a1c13;margin-left:.5rem}
.timeline{list-style:none;padding:0;margin:0;border-left:3px solid #123a6b;display:grid;gap:.75rem}
.timeline>li{margin-left:1rem}
.timeline .cancelled{opacity:.85;border-style:dashed}
.cancelled h3{text-decoration:line-through}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .75rem;margin:.5rem 0 0}
dt{color:#4a5360}
dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid #d5dae1;vertical-align:top}
.feed{width:100%;font:inherit;padding:.4rem;border:1px solid #6b7480;border-radius:.3rem}
label{display:block;margin:.5rem 0 .25rem;font-weight:600}
input[type=date]{font:inherit;padding:.3rem;border:1px solid #6b7480;border-radius:.3rem}
.error{background:#fff;border-left:4px solid #8a1c13;padding:.75rem 1rem}
footer{max-width:60rem;margin:2rem auto;padding:0 1rem;color:#4a5360;font-size:.9rem}
@media (min-width:48rem){
  main{padding:1.5rem 2rem}
  .cards{grid-template-columns:repeat(2,1fr)}
  .timeline>li{margin-left:1.5rem}
}
@media (max-width:30rem){
  table,thead,tbody,tr,th,td{display:block}
  thead{position:absolute;left:-999px}
  tr{background:#fff;border:1px solid #d5dae1;border-radius:.6rem;margin-bottom:.5rem}
  td{border:0;padding:.2rem .75rem}
}
`;
