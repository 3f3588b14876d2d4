/**
 * Runs the pinned Redocly CLI: `bundle` to load a spec and check every `$ref`, `build-docs`
 * to render the reference page. Both run offline: telemetry and the update check are off.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "@commerce-api/specs";

const run = promisify(execFile);

const cliPackageJson = createRequire(import.meta.url).resolve("@redocly/cli/package.json");
const cliBin = join(
  dirname(cliPackageJson),
  (JSON.parse(readFileSync(cliPackageJson, "utf8")) as { bin: { redocly: string } }).bin.redocly,
);

/** The repo's Redocly config: the one that says `telemetry: off`. */
const configPath = join(repoRoot, "redocly.yaml");

/** Runs the CLI in `cwd`; on failure throws with Redocly's own report (file, line, pointer). */
async function redocly(args: string[], cwd: string): Promise<void> {
  try {
    await run(process.execPath, [cliBin, ...args, "--config", configPath, "--lint-config", "off"], {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        // Belt and braces next to `telemetry: off`: no usage report, no npm version check.
        REDOCLY_TELEMETRY: "off",
        REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
        NO_COLOR: "1",
        FORCE_COLOR: "0",
      },
    });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(absolutizeLocations(`${stderr ?? ""}${stdout ?? ""}`.trim() || String(error), cwd));
  }
}

/**
 * Redocly names files relative to its working directory (`[1] paths/a.yaml:9:13 at #/get/...`);
 * make them absolute so the message points at the file whichever directory it came from.
 */
function absolutizeLocations(report: string, cwd: string): string {
  return report.replace(/^(\[\d+\] )(\S+?)(:\d+:\d+ at )/gm, (_match, index: string, file: string, rest: string) =>
    isAbsolute(file) ? `${index}${file}${rest}` : `${index}${resolve(cwd, file)}${rest}`,
  );
}

/**
 * Bundles `specPath` (a multi-file source spec or an already bundled one) into `outputPath`
 * as JSON. Fails on any unresolvable `$ref`, naming the file and the JSON pointer.
 */
export async function bundleSpec(specPath: string, outputPath: string): Promise<void> {
  await redocly(["bundle", specPath, "--output", outputPath, "--ext", "json"], dirname(specPath));
}

export interface BuildDocsOptions {
  specPath: string;
  outputPath: string;
  title: string;
  templatePath: string;
  /** Redoc options (`--openapi`), e.g. the code-sample languages. */
  redocOptions: Record<string, unknown>;
  /** Values the template reads as `{{templateOptions.<name>}}`. */
  templateOptions: Record<string, string>;
}

/** Renders one self-contained HTML page: Redoc's scripts and the spec are inlined. */
export async function buildDocs(options: BuildDocsOptions): Promise<void> {
  await redocly(
    [
      "build-docs",
      options.specPath,
      "--inlineBundle",
      "--output",
      options.outputPath,
      "--title",
      options.title,
      "--template",
      options.templatePath,
      "--openapi",
      JSON.stringify(options.redocOptions),
      ...Object.entries(options.templateOptions).flatMap(([name, value]) => [`--templateOptions.${name}`, value]),
    ],
    dirname(options.specPath),
  );
}
