/**
 * The client's TypeScript types agree with the spec: the requests the suite sends and the
 * response examples it reads compile against each API's generated types (strict, with
 * excess-property checks), and every operation's documented statuses are exactly those
 * the types know. See src/typed-cases.ts for what is generated.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, test } from "vitest";
import { caseId, underBaseline } from "../src/baseline.ts";
import { hasClientPackage } from "../src/clients.ts";
import { currentBaseline, currentPlan, reportsDir } from "../src/run.ts";
import { compileTypedCases } from "../src/typed-cases.ts";

const tsconfig = fileURLToPath(new URL("../tsconfig.json", import.meta.url));
// An API without a client package (and so without generated types) has nothing to compile.
const typed = currentPlan().apis.filter(({ spec }) => hasClientPackage(spec.api) || existsSync(spec.api.typesPath));

describe.skipIf(typed.length === 0)("client types", () => {
  let messages = new Map<string, string[]>();
  // One program for every API: the compiler's start-up is most of the cost.
  beforeAll(async () => {
    messages = await compileTypedCases(
      typed.map(({ spec }) => ({ spec, typesPath: spec.api.typesPath })),
      `${reportsDir}/typed-cases`,
      tsconfig,
    );
  });

  const title = (name: string) =>
    `the requests sent to ${name} and the responses read from it compile against its generated types`;
  test.for(typed.map(({ spec }) => spec.api))(title("$name"), (api, context) =>
    underBaseline(
      api,
      currentBaseline(api),
      caseId("client types", title(api.name)),
      () => {
        // The compiler's messages are the failure itself, on one line (the line a baseline
        // records and is held to exactly): not a truncated diff of them.
        const errors = messages.get(api.name) ?? [];
        if (errors.length > 0) throw new Error(errors.map((error) => error.replaceAll("\n", " ")).join(" | "));
      },
      { exact: true },
    )(context),
  );
});
