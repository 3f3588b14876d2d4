/**
 * Each API's Changes page: what the spec changed since the client's last release (the
 * release gate's own diff of the released baseline against the current bundle, breaking
 * changes first with why they break callers), then the client package's released history
 * (its CHANGELOG.md, which `pnpm release` writes).
 */
import type { ApiChange, ChangeKind } from "@commerce-api/release";
import { Marked, type Token } from "marked";
import { escapeHtml, renderHtmlPage } from "./html.ts";
import { pageFileName, type SiteApi } from "./index-page.ts";

/** What the page shows for one API. */
export interface ApiHistory {
  /** The last release and the changes to the spec since; undefined when the API was never released. */
  sinceRelease?: { version: string; changes: ApiChange[] };
  /** The client package's CHANGELOG.md; undefined when it has none yet. */
  changelog?: string;
}

type PageApi = Pick<SiteApi, "name" | "title" | "packageName">;

/** Each kind's table, in the order the page lists them. */
const KIND_SECTIONS: { kind: ChangeKind; heading: string; withWhy: boolean }[] = [
  { kind: "breaking", heading: "Breaking", withWhy: true },
  { kind: "non-breaking", heading: "Compatible", withWhy: false },
  { kind: "docs-only", heading: "Documentation only", withWhy: false },
];

function operationCell({ method, path }: ApiChange): string {
  if (path === "") return "the whole API";
  const methodLabel = method === "*" ? "" : `<span class="method">${escapeHtml(method)}</span> `;
  return `${methodLabel}<code>${escapeHtml(path)}</code>`;
}

function changesTable(changes: ApiChange[], withWhy: boolean): string {
  const header = `<tr><th>Operation</th><th>Where</th><th>What changed</th>${withWhy ? "<th>Why it breaks callers</th>" : ""}</tr>`;
  const rows = changes.map(
    (change) =>
      `<tr><td>${operationCell(change)}</td><td>${escapeHtml(change.where)}</td><td>${escapeHtml(change.what)}</td>${
        withWhy ? `<td>${escapeHtml(change.why ?? "")}</td>` : ""
      }</tr>`,
  );
  return `<table>\n<thead>${header}</thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

function sinceReleaseSection(api: PageApi, sinceRelease: ApiHistory["sinceRelease"]): string {
  if (!sinceRelease) {
    return `<section id="unreleased">
<h2>Not released yet</h2>
<p><code>${escapeHtml(api.packageName)}</code> has no released version to compare the spec with; its first release records one.</p>
</section>`;
  }
  const version = escapeHtml(sinceRelease.version);
  const { changes } = sinceRelease;
  if (changes.length === 0) {
    return `<section id="unreleased">
<h2>Since ${version}</h2>
<p>No changes since ${version}: the spec is the one released as <code>${escapeHtml(api.packageName)}@${version}</code>.</p>
</section>`;
  }
  const tables = KIND_SECTIONS.flatMap(({ kind, heading, withWhy }) => {
    const ofKind = changes.filter((change) => change.kind === kind);
    if (ofKind.length === 0) return [];
    return [`<div class="${kind}">\n<h3>${heading} (${ofKind.length})</h3>\n${changesTable(ofKind, withWhy)}\n</div>`];
  });
  return `<section id="unreleased">
<h2>Since ${version}</h2>
<p>${plural(changes.length, "change")} to the spec since <code>${escapeHtml(api.packageName)}@${version}</code>, for the client's next version:</p>
${tables.join("\n")}
</section>`;
}

/**
 * Markdown to HTML for the CHANGELOG. Raw HTML in it is shown as text, never passed through:
 * its entries quote the spec (field and path names), which must not become markup. Bare
 * text is not auto-linked: GFM would turn every `package@1.2.3` into an e-mail link.
 */
const changelogMarkdown = new Marked({
  renderer: { html: ({ text }) => escapeHtml(text) },
  tokenizer: { url: () => undefined },
});

/**
 * The CHANGELOG under the page's "Released versions" heading: its title (the package name,
 * already in the page header) is dropped and every other heading moves one level down.
 */
function renderChangelog(changelog: string): string {
  const tokens: Token[] = changelogMarkdown
    .lexer(changelog)
    .filter((token) => !(token.type === "heading" && token.depth === 1));
  changelogMarkdown.walkTokens(tokens, (token) => {
    if (token.type === "heading") token.depth = Math.min(token.depth + 1, 6);
  });
  return changelogMarkdown.parser(tokens);
}

function releasedSection(changelog: string | undefined): string {
  const body = changelog === undefined ? "<p>No released versions yet.</p>" : renderChangelog(changelog).trimEnd();
  return `<section id="released">
<h2>Released versions</h2>
${body}
</section>`;
}

export function renderChangesPage(api: PageApi, history: ApiHistory): string {
  return renderHtmlPage({
    title: `${api.title} changes`,
    header: `<p><a href="index.html">Commerce API docs</a> / <a href="${pageFileName(api)}">${escapeHtml(api.title)} reference</a></p>
<h1>${escapeHtml(api.title)} changes</h1>
<p>What changed in the ${escapeHtml(api.title)} API spec since the last release of its client <code>${escapeHtml(api.packageName)}</code>, and what each released version changed.</p>`,
    main: `${sinceReleaseSection(api, history.sinceRelease)}\n${releasedSection(history.changelog)}`,
  });
}
