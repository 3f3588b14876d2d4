/** The index page's card for one API, as a reader sees it in the browser. */
import type { ApiDefinition } from "@commerce-api/specs";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { changesFileName } from "../../src/index-page.ts";
import { listOperations, type OpenApiDocument, operationLabel } from "../../src/openapi.ts";

/** The index shows each API's title, version, servers, operations and links. */
export async function checkIndex(page: Page, { api, document }: { api: ApiDefinition; document: OpenApiDocument }) {
  const card = page.locator(`#api-${api.name}`);
  await card.getByRole("link", { name: document.info.title, exact: true }).waitFor({ state: "visible" });
  await card.getByText(`version ${document.info.version}`).waitFor({ state: "visible" });
  for (const server of document.servers ?? []) {
    await card.getByText(server.url, { exact: true }).waitFor({ state: "visible" });
  }
  // Each operation's own row (its method and path), which shows its label: two operations may
  // share a label (a vendor's summaries repeat), never a method and path.
  for (const target of listOperations(document)) {
    await card
      .getByRole("listitem")
      .filter({ has: page.getByText(target.path, { exact: true }) })
      .filter({ has: page.getByText(target.method.toUpperCase(), { exact: true }) })
      .getByText(operationLabel(target), { exact: true })
      .waitFor({ state: "visible" });
  }
  expect(await card.getByRole("link", { name: "API reference" }).getAttribute("href")).toBe(`${api.name}.html`);
  expect(await card.getByRole("link", { name: "OpenAPI description (JSON)" }).getAttribute("href")).toBe(
    `${api.name}.json`,
  );
  expect(await card.getByRole("link", { name: "Changes" }).getAttribute("href")).toBe(changesFileName(api));
}
