/**
 * Walks a Redoc 3 reference page the way a reader does. Redoc shows one operation at a time
 * (hash routes), so each operation is opened from the sidebar: its tag group is expanded,
 * the entry clicked, and the operation's own page checked.
 */
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { listOperations, type OpenApiDocument, type OperationRef, operationLabel } from "../../src/openapi.ts";

type Tagged = OpenApiDocument & { tags?: { name: string; "x-displayName"?: string }[] };

/** What Redoc shows where it could not render an operation. */
const REDOC_RENDER_ERROR = "Something went wrong rendering the API documentation.";

/** A visible sidebar entry with exactly this text. */
function sidebarEntry(page: Page, text: string) {
  return page.getByTestId("menu-item-label").getByText(text, { exact: true }).first();
}

/**
 * Waits until React has hydrated Redoc's server-rendered page. The sidebar is in the HTML and
 * visible from the first paint, but its group labels are plain links (`href="/orders"`) until
 * Redoc's `hydrate()` has processed the spec and handed the page to React, which happens in a
 * task after the `load` event (0.5 s later on an idle machine, seconds later under load). A
 * click in that window is not Redoc's: the browser follows the link away from the page. React
 * marks each element it has hydrated with a `__reactProps$…` key; Redoc gives no other signal.
 */
export async function waitForRedoc(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const labels = [...document.querySelectorAll('[data-testid="menu-item-label"]')];
    return (
      labels.length > 0 && labels.every((label) => Object.keys(label).some((key) => key.startsWith("__reactProps$")))
    );
  });
}

/**
 * Makes the entries of the sidebar `group` visible. A group label toggles, so it is clicked
 * only when the group is closed (its chevron points right), then the group is awaited open:
 * no timed retries, which under load could click a slowly opening group shut again.
 */
async function openGroup(page: Page, group: string): Promise<void> {
  const item = page
    .locator('[data-component-name="Menu/MenuItem"]')
    .filter({ has: page.getByTestId("menu-item-label").getByText(group, { exact: true }) })
    .first();
  const chevron = (direction: "Down" | "Right") =>
    item.locator(`:scope > a [data-component-name="icons/Chevron${direction}Icon/Chevron${direction}Icon"]`);
  if (await chevron("Right").isVisible()) await sidebarEntry(page, group).click();
  await chevron("Down").waitFor({ state: "visible" });
}

/** A code sample on the page that contains `text`. */
function codeBlock(page: Page, text: string) {
  return page.getByTestId("source-code").filter({ hasText: text }).first();
}

/**
 * Switches the shown operation's request sample from one language to another with the
 * dropdown of its own panel: the one on screen. Redoc keeps the pages of operations visited
 * before mounted (off screen), so the first such dropdown in the page is soon another's. After
 * a sidebar click the operation may still be scrolling into view (slower on a loaded machine),
 * so the dropdown is awaited on screen, as Playwright awaits an element, not looked for once.
 */
async function chooseLanguage(page: Page, from: string, to: string): Promise<void> {
  const buttons = page.getByTestId("right-panel").getByRole("button", { name: from, exact: true });
  const height = page.viewportSize()?.height ?? 0;
  const onScreen = async () => {
    for (const button of await buttons.all()) {
      const box = await button.boundingBox();
      if (box && box.y >= 0 && box.y + box.height <= height) return button;
    }
    return undefined;
  };
  let dropdown: Locator | undefined;
  await expect
    .poll(
      async () => {
        dropdown = await onScreen();
        return dropdown !== undefined;
      },
      { timeout: 15_000, message: `no "${from}" sample dropdown on screen` },
    )
    .toBe(true);
  await dropdown?.click();
  // The open menu is drawn outside the panel; only the dropdown just clicked has one.
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
  await waitForRedoc(page);
  // Redoc keeps one sidebar group open at a time, so each group is opened just before use.
  const schemaNames = Object.keys((document.components?.schemas as Record<string, unknown> | undefined) ?? {});
  if (schemaNames.length > 0) await openGroup(page, "Schemas");
  for (const name of schemaNames) {
    await sidebarEntry(page, name).waitFor({ state: "visible" });
  }
  for (const [index, target] of listOperations(document).slice(0, operationLimit).entries()) {
    const summary = operationLabel(target);
    const group = groupOf(document, target);
    if (group) await openGroup(page, group);
    await sidebarEntry(page, summary).click();
    const exactly = new RegExp(`^${summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
    const method = target.method.toUpperCase();
    // Redoc shows this in place of an operation it fails to render (the error is in the console).
    const crashed = page.getByText(REDOC_RENDER_ERROR);
    await page.locator("h2").filter({ hasText: exactly }).first().or(crashed).first().waitFor({ state: "visible" });
    if (await crashed.isVisible()) {
      throw new Error(`Redoc failed to render ${method} ${target.path} ("${summary}"): "${REDOC_RENDER_ERROR}"`);
    }
    const samples = {
      curl: codeBlock(page, `curl --request ${method}`),
      TypeScript: codeBlock(page, `await client.${method}(${JSON.stringify(target.path)}`),
    };
    // Redoc keeps the chosen language from one operation to the next, so each operation
    // checks the sample it opens on, then switches to the other and checks that one.
    await samples.curl.or(samples.TypeScript).first().waitFor({ state: "visible" });
    const [first, second] = (await samples.curl.isVisible())
      ? (["curl", "TypeScript"] as const)
      : (["TypeScript", "curl"] as const);
    await chooseLanguage(page, first, second);
    await samples[second].waitFor({ state: "visible" });
    if (index === 0) {
      if (second !== "TypeScript") await chooseLanguage(page, second, first);
      await samples.TypeScript.waitFor({ state: "visible" });
      await onFirstOperation();
    }
  }
}
