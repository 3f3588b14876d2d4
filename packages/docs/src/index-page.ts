/**
 * The site's front page: every API with its version, servers, summary and links, and a
 * "Getting started" guide whose commands and code are generated from the same specs as the
 * reference pages. Plain HTML with no script, so it also works from `file://`.
 */
import { curlSample, firstCall, typeScriptSample } from "./code-samples.ts";
import { escapeHtml, renderHtmlPage } from "./html.ts";
import {
  firstNamedExample,
  listOperations,
  type OpenApiDocument,
  type OperationRef,
  operationLabel,
  preferredMediaType,
  resolve,
} from "./openapi.ts";

/** One API as the site shows it. */
export interface SiteApi {
  /** Short name: the page is `<name>.html`, the spec `<name>.json`, the Changes page `changes-<name>.html`. */
  name: string;
  title: string;
  packageName: string;
  /** The client package's factory, `create<Name>Client`, and its renamed credential options (the API list's). */
  factoryName: string;
  credentialOptions: Record<string, string>;
  mockPort: number;
  mockPortEnv: string;
  document: OpenApiDocument;
}

export const pageFileName = (api: { name: string }) => `${api.name}.html`;
export const specFileName = (api: { name: string }) => `${api.name}.json`;
export const changesFileName = (api: { name: string }) => `changes-${api.name}.html`;

/** Escaped text with Markdown's `code` spans and [links](url) reduced to what reads well here. */
function inlineMarkdown(text: string): string {
  return escapeHtml(text.replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")).replace(/`([^`]+)`/g, "<code>$1</code>");
}

/** `info.summary`, else the description's first paragraph. */
function summaryOf(document: OpenApiDocument): string {
  if (document.info.summary) return document.info.summary;
  const paragraph = (document.info.description ?? "").split(/\n\s*\n/).find((block) => block.trim() !== "");
  return (paragraph ?? "").replace(/\s+/g, " ").trim();
}

const codeBlock = (code: string) => `<pre><code>${escapeHtml(code.trimEnd())}</code></pre>`;

/** The call the guide makes first: the first operation that reads (GET), else the first one. */
/** The name of the first named example of the operation's first success response. */
function firstResponseExampleName(document: OpenApiDocument, target: OperationRef): string | undefined {
  const success = Object.entries(target.operation.responses ?? {}).find(([status]) => /^2/.test(status));
  if (!success) return undefined;
  const [, media] = preferredMediaType(resolve(document, success[1]).content) ?? [];
  return firstNamedExample(document, media?.examples)?.name;
}

const mockUrl = (api: SiteApi) => `http://127.0.0.1:${api.mockPort}`;

function apiCard(api: SiteApi): string {
  const { info, servers = [] } = api.document;
  const operations = listOperations(api.document);
  const serverItems = servers
    .map(
      (server) =>
        `<li><code>${escapeHtml(server.url)}</code>${server.description ? ` ${inlineMarkdown(server.description)}` : ""}</li>`,
    )
    .join("\n");
  const operationItems = operations
    .map(
      (target) =>
        `<li><span class="method">${target.method.toUpperCase()}</span> <code>${escapeHtml(target.path)}</code> <span>${escapeHtml(operationLabel(target))}</span></li>`,
    )
    .join("\n");
  return `<article class="api" id="api-${escapeHtml(api.name)}">
<h3><a href="${pageFileName(api)}">${escapeHtml(info.title)}</a> <span class="version">version ${escapeHtml(info.version)}</span></h3>
<p class="summary">${inlineMarkdown(summaryOf(api.document))}</p>
<h4>Servers</h4>
<ul class="servers">
${serverItems}
</ul>
<h4>${operations.length} operation${operations.length === 1 ? "" : "s"}</h4>
<ul class="operations">
${operationItems}
</ul>
<p class="links"><a href="${pageFileName(api)}">API reference</a> · <a href="${specFileName(api)}">OpenAPI description (JSON)</a> · <a href="${changesFileName(api)}">Changes</a> · client package <code>${escapeHtml(api.packageName)}</code></p>
</article>`;
}

function gettingStarted(apis: SiteApi[]): string {
  const installs = apis.map((api) => `pnpm add ${api.packageName}`).join("\n");
  const mocks = apis
    .map(
      (api) =>
        `<li>${escapeHtml(api.title)}: <code>${mockUrl(api)}</code> (port from <code>${escapeHtml(api.mockPortEnv)}</code>)</li>`,
    )
    .join("\n");
  const firstCalls = apis
    .map((api) => {
      const target = firstCall(api.document);
      if (!target) return "";
      const code = typeScriptSample(api.document, api, target, { baseUrl: mockUrl(api) });
      return `<h4>${escapeHtml(api.title)}: ${escapeHtml(target.operation.summary ?? `${target.method.toUpperCase()} ${target.path}`)}</h4>\n${codeBlock(code)}`;
    })
    .join("\n");
  const preferExamples = apis
    .map((api) => {
      const target = firstCall(api.document);
      const example = target && firstResponseExampleName(api.document, target);
      if (!target || !example) return "";
      const code = curlSample(api.document, target, {
        baseUrl: mockUrl(api),
        headers: { Prefer: `example=${example}` },
      });
      return `<h4>${escapeHtml(api.title)}: the <code>${escapeHtml(example)}</code> example</h4>\n${codeBlock(code)}`;
    })
    .join("\n");
  return `<section id="getting-started">
<h2>Getting started</h2>
<h3>1. Install the client</h3>
<p>Each API has a typed client (an <a href="https://openapi-ts.dev/openapi-fetch/">openapi-fetch</a> client generated from its spec). Add the one you need; inside this monorepo add <code>--workspace</code>.</p>
${codeBlock(installs)}
<h3>2. Run the mocks</h3>
<p>From the root of this repository, start a mock server for every API (and this site, at <code>http://127.0.0.1:8080</code>, port from <code>DOCS_PORT</code>). It answers from the specs' examples, on 127.0.0.1 only, until you press Ctrl-C.</p>
${codeBlock("pnpm start")}
<ul>
${mocks}
</ul>
<h3>3. Point the client at the mock and make the first call</h3>
<p>Pass the mock's address as <code>baseUrl</code>. The mock checks that the credentials are present, so the placeholders are enough; against the real API use your own. The same code with the production <code>baseUrl</code> calls the live API.</p>
${firstCalls}
<h3>4. Choose the mock's answer with <code>Prefer</code></h3>
<p>The mock answers with the first success example of the operation. Send a <code>Prefer</code> header to pick another: <code>Prefer: example=&lt;name&gt;</code> returns the named example, <code>Prefer: code=404</code> the documented 404 response, <code>Prefer: dynamic=true</code> a response generated from the schema. With the client, pass it as <code>headers: { Prefer: "code=404" }</code> next to <code>params</code>.</p>
${preferExamples}
</section>`;
}

export function renderIndexPage(apis: SiteApi[]): string {
  return renderHtmlPage({
    title: "Commerce API docs",
    header: `<h1>Commerce API docs</h1>
<p>Reference documentation for the commerce APIs, written as OpenAPI specs from the vendors' documentation. Each reference page lists every operation with its parameters, request and response schemas, examples, and code samples in curl and in TypeScript with our client.</p>`,
    main: `<section id="apis">
<h2>APIs</h2>
${apis.map(apiCard).join("\n")}
</section>
${gettingStarted(apis)}`,
  });
}
