# Source it from the repo root, do not run it:   . scripts/use-node.sh
#
# Puts a Node this repo supports first on PATH, for the current shell only. A machine Node
# that satisfies package.json "engines" is kept as it is. Otherwise Node $NODE_MAJOR
# (default: the major in .nvmrc) comes from the npm registry's `node` package, installed
# once into $HOME/.local/node<major>; the machine's own Node is never replaced or changed.
# Needs only npm (any version). The README's quick start and .ci/run both use it.
#
# NODE_MAJOR=<n> asks for exactly that major, e.g. to try the next Node in CI.

use_node_major=${NODE_MAJOR:-$(cat .nvmrc)}

# Exits 0 if the Node given as $1 satisfies "engines" (and is $use_node_major, if NODE_MAJOR is set).
use_node_fits() {
  "$1" -e '
    const [want, exact] = process.argv.slice(1);
    const [major, minor] = process.versions.node.split(".").map(Number);
    const engines = JSON.parse(require("fs").readFileSync("package.json", "utf8")).engines.node;
    const [minMajor, minMinor = 0] = engines.match(/\d+/g).map(Number);
    const fits = major > minMajor || (major === minMajor && minor >= minMinor);
    process.exit(fits && (!exact || major === Number(want)) ? 0 : 1);
  ' "$use_node_major" "${NODE_MAJOR:+exact}" 2>/dev/null
}

if ! use_node_fits node; then
  use_node_prefix="$HOME/.local/node$use_node_major"
  if ! use_node_fits "$use_node_prefix/node_modules/.bin/node"; then
    echo "use-node: installing Node $use_node_major from the npm registry into $use_node_prefix (this shell has $(node --version 2>/dev/null || echo no Node))" >&2
    npm install --prefix "$use_node_prefix" --no-audit --no-fund --no-update-notifier --loglevel=error \
      "node@$use_node_major" >/dev/null
  fi
  PATH="$use_node_prefix/node_modules/.bin:$PATH"
  export PATH
fi
# The last command's status is the script's: a caller with `set -e` stops here on failure.
if use_node_fits node; then
  echo "use-node: node $(node --version) at $(command -v node)" >&2
else
  echo "use-node: no usable Node: $(node --version 2>/dev/null || echo none) does not satisfy package.json engines (see npm's message above)" >&2
  false
fi
