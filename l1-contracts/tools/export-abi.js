// Writes <name>.abi (JSON) and <name>.bin (hex creation bytecode, no 0x) for each named contract
// from forge's artifacts (out/<name>.sol/<name>.json), as web3j's wrapper generator reads them.
// Usage: node tools/export-abi.js <forge out dir> <target dir> <Contract>...
"use strict";
const fs = require("fs");
const path = require("path");

const [outDir, targetDir, ...names] = process.argv.slice(2);
if (!outDir || !targetDir || names.length === 0) {
  console.error("usage: node tools/export-abi.js <forge out dir> <target dir> <Contract>...");
  process.exit(2);
}
fs.mkdirSync(targetDir, { recursive: true });
for (const name of names) {
  const file = path.join(outDir, `${name}.sol`, `${name}.json`);
  const artifact = JSON.parse(fs.readFileSync(file, "utf8"));
  const bin = artifact.bytecode && artifact.bytecode.object;
  if (!Array.isArray(artifact.abi) || typeof bin !== "string" || !/^0x[0-9a-fA-F]+$/.test(bin)) {
    console.error(`export-abi: ${file} has no ABI or no linked bytecode`);
    process.exit(1);
  }
  fs.writeFileSync(path.join(targetDir, `${name}.abi`), JSON.stringify(artifact.abi));
  fs.writeFileSync(path.join(targetDir, `${name}.bin`), bin.slice(2));
  console.log(`export-abi: ${name} (${(bin.length - 2) / 2} bytes of creation code)`);
}
