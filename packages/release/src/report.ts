/** The gate's findings as Markdown: printed by `pnpm api:check`, and CI's job summary. */
import type { ApiChange } from "./diff.ts";
import type { ApiCheck } from "./gate.ts";

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** A compiler message's first line and its most specific (last) one, shortened for a table. */
function shortMessage(message: string): string {
  const lines = message.split("\n").map((line) => line.trim());
  const shorten = (line: string) => (line.length > 160 ? `${line.slice(0, 157)}...` : line);
  const first = shorten(lines[0] ?? "");
  const last = lines.length > 1 ? ` … ${shorten(lines.at(-1) ?? "")}` : "";
  return first + last;
}

function changeRow(change: ApiChange): string {
  const operation = change.path ? `\`${change.method === "*" ? "" : `${change.method} `}${change.path}\`` : "whole API";
  return `| ${change.kind} | ${operation} | ${cell(change.where)} | ${cell(change.what)} | ${cell(change.why ?? "")} |`;
}

export function renderApiCheck(check: ApiCheck): string {
  const { api } = check;
  const status = check.failures.length > 0 ? "FAIL" : "pass";
  const lines = [`### ${api.title} (${api.name}): ${status}`, ""];
  if (!check.releasedVersion) {
    lines.push(
      `Never released: no baseline under specs/${api.name}/released/ yet. Its first \`pnpm release\` records one.`,
    );
    return lines.join("\n");
  }
  const counts = (["breaking", "non-breaking", "docs-only"] as const)
    .map((kind) => `${check.changes.filter((change) => change.kind === kind).length} ${kind}`)
    .join(", ");
  lines.push(
    `Against ${api.packageName}@${check.releasedVersion}: ${check.changes.length === 0 ? "no changes" : counts}; ` +
      `pending changeset: ${check.bump ?? "none"}${check.needed ? `; the changes call for: ${check.needed}` : ""}.`,
  );
  if (check.changes.length > 0) {
    lines.push("", "| kind | operation | where | change | why it breaks callers |", "| --- | --- | --- | --- | --- |");
    lines.push(...check.changes.map(changeRow));
  }
  if (check.releasedCallBreaks.length > 0) {
    lines.push("", `Calls the released client allowed that no longer compile against the new types:`, "");
    lines.push(...check.releasedCallBreaks.map((item) => `- \`${item.operation}\`: ${shortMessage(item.message)}`));
  }
  if (check.failures.length > 0) lines.push("", ...check.failures.map((failure) => `**Fails:** ${failure}`));
  return lines.join("\n");
}
