/**
 * What the site's own pages (the index and each API's Changes page) share: escaping, the
 * style sheet and the document around the content. Plain HTML with no script, and a policy
 * that allows none, so the pages work from `file://` and reach nothing outside the site.
 */

export const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

const STYLE = `
body { margin: 0; font: 16px/1.55 system-ui, sans-serif; color: #1c2330; background: #f6f7f9; }
header, main { max-width: 60rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 2rem; }
h1 { margin-bottom: 0.25rem; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid #d5d9e0; padding-bottom: 0.25rem; }
h4 { margin: 1rem 0 0.25rem; }
a { color: #0a58ca; }
.api { background: #fff; border: 1px solid #d5d9e0; border-radius: 8px; padding: 0.25rem 1.25rem 0.5rem; margin: 1rem 0; }
.api h3 a { text-decoration: none; }
.version { font-size: 0.8em; font-weight: normal; color: #5b6473; margin-left: 0.5rem; }
.method { display: inline-block; min-width: 3.5rem; font: bold 0.8em monospace; color: #0b6e4f; }
ul { padding-left: 1.25rem; }
code { font-family: ui-monospace, monospace; font-size: 0.9em; background: #eef0f4; padding: 0 0.2em; border-radius: 3px; }
pre { background: #0f1b2d; color: #e7edf7; padding: 0.9rem 1rem; border-radius: 6px; overflow-x: auto; }
pre code { background: none; padding: 0; font-size: 0.85em; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid #d5d9e0; margin: 0.5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.6rem; border-bottom: 1px solid #e4e7ec; }
th { background: #eef0f4; font-size: 0.9em; }
.breaking h3 { color: #b42318; }
footer { max-width: 60rem; margin: 3rem auto 2rem; padding: 0 1.25rem; color: #5b6473; font-size: 0.9em; }
`;

/** A complete page: `header` and `main` are HTML the caller has already escaped. */
export function renderHtmlPage({ title, header, main }: { title: string; header: string; main: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
${header}
</header>
<main>
${main}
</main>
<footer>Generated from the specs by <code>@commerce-api/docs</code>; reference pages rendered with Redoc.</footer>
</body>
</html>
`;
}
