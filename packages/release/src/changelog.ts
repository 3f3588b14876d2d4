/**
 * The API changes of a release in plain words, for the client's CHANGELOG (through a
 * changeset that `pnpm release` writes) and the docs site's Changes page.
 */
import { type ApiChange, describeChange } from "./diff.ts";

/** Markdown bullet lists: breaking changes with why, then additions, then a count of docs-only edits. */
export function renderApiChanges(title: string, releasedVersion: string, changes: ApiChange[]): string {
  if (changes.length === 0) return `${title} API: no changes to the spec since ${releasedVersion}.`;
  const breaking = changes.filter((change) => change.kind === "breaking");
  const additions = changes.filter((change) => change.kind === "non-breaking");
  const docs = changes.filter((change) => change.kind === "docs-only");
  const lines = [`${title} API changes since ${releasedVersion}:`, ""];
  for (const change of breaking)
    lines.push(`- **Breaking:** ${describeChange(change)}. ${capitalize(change.why ?? "")}.`);
  for (const change of additions) lines.push(`- ${describeChange(change)}.`);
  if (docs.length > 0) {
    const operations = new Set(docs.map((change) => `${change.method} ${change.path}`)).size;
    lines.push(`- Documentation: ${docs.length} description or example edits across ${operations} operations.`);
  }
  return lines.join("\n");
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
