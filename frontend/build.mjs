// Builds GOV.UK Frontend into static/build/: our Sass (with the asset path Django serves),
// GOV.UK Frontend's JavaScript module, fonts and images. axe-core (640 KB, for the accessibility
// checks) is not built in: only the test settings serve it, from node_modules (tests/e2e).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "govuk"), { recursive: true });

const result = sass.compile(join(root, "frontend", "application.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "application.css"), result.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync(join(govuk, "assets"), join(out, "govuk", "assets"), { recursive: true });
// accessible-autocomplete (pinned in package.json): enhances long choice lists, such as the
// contracts page's organisation filter, on the pages that load it.
const autocomplete = join(root, "node_modules", "accessible-autocomplete", "dist");
for (const file of ["accessible-autocomplete.min.js", "accessible-autocomplete.min.css"]) {
  cpSync(join(autocomplete, file), join(out, "accessible-autocomplete", file));
}
console.log(`built ${out}`);
