/** A string already safe to put in HTML. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(value);
}

/** Tagged template that escapes every interpolation except SafeHtml (and arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

const STYLE = `
:root { color-scheme: light; --fg:#1b1f24; --muted:#57606a; --line:#d0d7de; --bg:#fff; --panel:#f6f8fa;
  --accent:#0b5cad; --ok:#1a7f37; --warn:#9a6700; --bad:#c21c2c; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--fg); background:var(--bg); }
header { display:flex; gap:1rem; align-items:center; padding:.75rem 1.5rem; border-bottom:1px solid var(--line); background:var(--panel); }
header h1 { font-size:1.15rem; margin:0 auto 0 0; }
main { padding:1rem 1.5rem 3rem; max-width:1200px; }
section { margin:1.5rem 0; }
h2 { font-size:1.05rem; margin:0 0 .5rem; }
a { color:var(--accent); }
table { border-collapse:collapse; width:100%; font-size:.92rem; }
th, td { text-align:left; padding:.35rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:var(--panel); font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
.funnel { display:flex; flex-wrap:wrap; gap:.5rem; list-style:none; padding:0; margin:0; }
.funnel li { flex:1 1 9rem; border:1px solid var(--line); border-radius:6px; padding:.5rem .75rem; background:var(--panel); }
.funnel .count { display:block; font-size:1.6rem; font-weight:650; font-variant-numeric:tabular-nums; }
.funnel .label { color:var(--muted); font-size:.85rem; }
.status-ok { color:var(--ok); font-weight:600; } .status-partial, .status-locked { color:var(--warn); font-weight:600; }
.status-failed { color:var(--bad); font-weight:600; }
form.run { display:flex; flex-wrap:wrap; gap:.75rem; align-items:flex-end; padding:.75rem; border:1px solid var(--line); border-radius:6px; }
label { display:flex; flex-direction:column; gap:.2rem; font-size:.85rem; color:var(--muted); }
label.inline { flex-direction:row; align-items:center; }
input, select, button { font:inherit; padding:.35rem .5rem; border:1px solid #8c959f; border-radius:4px; color:var(--fg); background:#fff; }
button { background:var(--accent); color:#fff; border-color:var(--accent); cursor:pointer; }
button.secondary { background:#fff; color:var(--accent); }
button:focus-visible, input:focus-visible, select:focus-visible, a:focus-visible { outline:3px solid #f3b300; outline-offset:1px; }
.muted { color:var(--muted); } .error { color:var(--bad); }
pre { background:var(--panel); padding:.75rem; border-radius:6px; overflow:auto; max-height:24rem; font-size:.85rem; }
.narrow { max-width:24rem; }
.grid { display:grid; grid-template-columns:repeat(auto-fit,minmax(260px,1fr)); gap:1rem; }
`;

/** A complete page; `nonce` allows exactly this response's inline style and script. */
export function page(options: { title: string; nonce: string; header?: SafeHtml; body: SafeHtml; script?: string }): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title}</title>
<style nonce="${options.nonce}">${new SafeHtml(STYLE)}</style>
</head>
<body>
${options.header}
<main>
${options.body}
</main>
${options.script ? html`<script nonce="${options.nonce}">${new SafeHtml(options.script)}</script>` : ''}
</body>
</html>`.value;
}

/** CSP for a page built with `page()`: nothing from anywhere but this origin and this nonce. */
export function pageCsp(nonce: string): string {
  return `default-src 'none'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'`;
}
