// Cycles between folders, on the code without its tests (a test may import a folder above its own,
// which is no cycle of the code). `npm run deps` runs it after .dependency-cruiser.cjs.
const base = require("./.dependency-cruiser.cjs");

module.exports = {
  forbidden: [
    {
      name: "no-circular-folders",
      comment: "Two folders that import each other are one layer in disguise.",
      severity: "error",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
  ],
  options: { ...base.options, exclude: { path: `(^|/)(node_modules|dist)/|${base.TESTS}` } },
};
