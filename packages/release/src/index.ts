/** What the rest of the workspace reads from the release tooling: the baselines and the spec diff. */
export { type Baseline, readBaseline } from "./baseline.ts";
export { type ApiChange, type ChangeKind, diffSpecs } from "./diff.ts";
