/**
 * Walks a Redoc 3 reference page the way a reader does. Redoc shows one operation at a time
 * (hash routes), so each operation is opened from the sidebar: its tag group is expanded,
 * the entry clicked, and the operation's own page checked.
 */
import type { Page } from "playwright-core";
import { listOperations, type OpenApiDocument, type OperationRef } from "../../src/openapi.ts";

type Tagged = OpenApiDocument & { tags?: { name: string; "x-displayName"?: string }[] };

/** A visible sidebar entry with exactly this text. */
function sidebarEntry(page: Page, text: string) {
  return page.getByTestId("menu-item-label").getByText(text, { exact: true }).first();
}

/**
 * Makes `child` visible by opening its sidebar `group`. A group label toggles, and Redoc may
 * expand a group by itself while the page settles, so a blind click can close the group it
 * meant to open: click only while the child is hidden, and look again after each click.
 */
async function openGroup(page: Page, group: string, child: ReturnType<typeof sidebarEntry>): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await child.isVisible()) return;
    await sidebarEntry(page, group).click();
    try {
      await child.waitFor({ state: "visible", timeout: 5_000 });
      return;
    } catch {
      // Closed again or still rendering: look and click once more.
    }
  }
  await child.waitFor({ state: "visible" });
}

export function summaryOf({ method, path, operation }: OperationRef): string {
  if (!operation.summary) throw new Error(`${method.toUpperCase()} ${path} has no summary in the spec`);
  return operation.summary;
}

/** A code sample on the page that contains `text`. */
function codeBlock(page: Page, text: string) {
  return page.getByTestId("source-code").filter({ hasText: text }).first();
}

/** Switches the request sample from one language to another with the panel's dropdown. */
async function chooseLanguage(page: Page, from: string, to: string): Promise<void> {
  await page.getByTestId("right-panel").getByRole("button", { name: from, exact: true }).first().click();
  await page.getByRole("menuitem", { name: to, exact: true }).click();
}

/** The sidebar group an operation is listed under: its first tag, by display name. */
function groupOf(document: Tagged, { operation }: OperationRef): string | undefined {
  const tag = (operation as { tags?: string[] }).tags?.[0];
  return tag && (document.tags?.find((candidate) => candidate.name === tag)?.["x-displayName"] ?? tag);
}

/**
 * Checks a whole reference page: every component schema is listed by name under Schemas, and
 * for every operation its summary is a visible sidebar entry whose page shows the summary as
 * a heading and both generated samples, curl and TypeScript. `onFirstOperation` runs on the
 * first operation's page while its TypeScript sample is showing. `operationLimit` stops after
 * that many operations, for checks that only need to know the page renders at all.
 */
export async function checkReferencePage(
  page: Page,
  document: Tagged,
  onFirstOperation: () => Promise<void>,
  operationLimit = Number.POSITIVE_INFINITY,
): Promise<void> {
  // Redoc keeps one sidebar group open at a time, so each group is opened just before use.
  const schemaNames = Object.keys((document.components?.schemas as Record<string, unknown> | undefined) ?? {});
  if (schemaNames[0] !== undefined) await openGroup(page, "Schemas", sidebarEntry(page, schemaNames[0]));
  for (const name of schemaNames) {
    await sidebarEntry(page, name).waitFor({ state: "visible" });
  }
  for (const [index, target] of listOperations(document).slice(0, operationLimit).entries()) {
    const summary = summaryOf(target);
    const entry = sidebarEntry(page, summary);
    const group = groupOf(document, target);
    if (group) await openGroup(page, group, entry);
    await entry.waitFor({ state: "visible" });
    await entry.click();
    const exactly = new RegExp(`^${summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
    await page.locator("h2").filter({ hasText: exactly }).first().waitFor({ state: "visible" });
    const method = target.method.toUpperCase();
    await codeBlock(page, `curl --request ${method}`).waitFor({ state: "visible" });
    await chooseLanguage(page, "curl", "TypeScript");
    await codeBlock(page, `await client.${method}(${JSON.stringify(target.path)}`).waitFor({ state: "visible" });
    if (index === 0) await onFirstOperation();
    // Redoc remembers the language for every operation; go back so the next one starts on curl.
    await chooseLanguage(page, "TypeScript", "curl");
  }
}
