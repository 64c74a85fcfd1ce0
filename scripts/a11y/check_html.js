#!/usr/bin/env node
// Checks an HTML report against WCAG 2.1 A and AA with axe-core (Deque) in jsdom, offline:
//   node scripts/a11y/check_html.js report.html   (after `npm ci` in scripts/a11y)
// Prints one line per violation and a closing "N passed, N failed" line; exits 1 on a violation.
// jsdom has no layout engine: axe reports what needs rendering (colour contrast of text over
// images, some sizes) as "incomplete", listed here but not failed; contrast is also checked
// from the style sheet by tests/test_report_html_a11y.py.
"use strict";
const fs = require("fs");
const { JSDOM, VirtualConsole } = require("jsdom");
const axe = require("axe-core");

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: check_html.js report.html");
    process.exit(2);
  }
  // jsdom's own "not implemented" notices (canvas, used by axe to spot icon fonts) are not results.
  const virtualConsole = new VirtualConsole();
  const dom = new JSDOM(fs.readFileSync(file, "utf8"), {
    pretendToBeVisual: true,
    runScripts: "outside-only",
    virtualConsole,
  });
  const { window } = dom;
  window.eval(axe.source);
  const results = await window.axe.run(window.document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    resultTypes: ["violations", "incomplete"],
  });
  for (const v of results.violations) {
    console.log(`violation ${v.id} (${v.impact}): ${v.help} – ${v.nodes.length} element(s)`);
  }
  for (const v of results.incomplete) {
    console.log(`incomplete ${v.id}: ${v.help} – ${v.nodes.length} element(s), not decidable without rendering`);
  }
  console.log(`axe-core ${axe.version}: ${results.passes.length} rules passed`);
  console.log(`${results.passes.length} passed, ${results.violations.length} failed`);
  process.exit(results.violations.length ? 1 : 0);
}

main().catch((error) => {
  console.error(String(error));
  process.exit(2);
});
