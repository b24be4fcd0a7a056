// What the editors' workbench takes from Apache Annotator (@apache-annotator/dom, pinned in
// package.json): the W3C TextQuoteSelector and TextPositionSelector describing a selected Range.
// `npm run vendor` bundles it, with its dependencies, into static/vendor/apache-annotator/.
export { describeTextPosition, describeTextQuote } from "@apache-annotator/dom";
