#!/usr/bin/env node
// Generates src/Poseidon2.sol (round-key constants and the unrolled permutation) from
// ../test-vectors/poseidon2.json, after checking that a BigInt model of the permutation built from
// those keys reproduces every vector in the file and that the keys are the documented Keccak-256
// chain. With --layout it instead prints the precomputed constants of src/StateLayoutV1.sol
// (empty subtrees, Compress(0, TAG) per tag, genesis root) for pasting; the Solidity tests check
// every one of them against the vectors, so this script is a convenience, not a trusted source.
//
//   node tools/gen-poseidon2.js            # rewrite (and forge fmt) src/Poseidon2.sol
//   node tools/gen-poseidon2.js --layout   # print StateLayoutV1 constants
'use strict';

const fs = require('fs');
const path = require('path');
const { keccak256 } = require('js-sha3'); // a dependency of solc-js

const ROOT = path.resolve(__dirname, '..');
const P = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const vectors = JSON.parse(fs.readFileSync(path.join(ROOT, '../test-vectors/poseidon2.json'), 'utf8'));
const params = vectors.parameters;
const rk = params.roundKeys.map((r) => r.map((x) => BigInt(x)));

if (params.width !== 2 || params.fullRounds !== 6 || params.partialRounds !== 50 || params.sboxDegree !== 5) {
  throw new Error('unexpected Poseidon2 parameters');
}
const RF = params.fullRounds / 2;
const ROUNDS = params.fullRounds + params.partialRounds;
const isFull = (i) => i < RF || i >= RF + params.partialRounds;

// Keccak chain: h = K(seed); key = K(h) mod r, h = K(h) again for the next key.
{
  let h = Buffer.from(keccak256.arrayBuffer(Buffer.from(params.seed, 'ascii')));
  for (let i = 0; i < ROUNDS; i++) {
    for (let j = 0; j < rk[i].length; j++) {
      h = Buffer.from(keccak256.arrayBuffer(h));
      if (BigInt('0x' + h.toString('hex')) % P !== rk[i][j]) throw new Error(`round key ${i}.${j} is not the chain`);
    }
    if (rk[i].length !== (isFull(i) ? 2 : 1)) throw new Error(`round ${i} has ${rk[i].length} keys`);
  }
}

const mod = (x) => ((x % P) + P) % P;
const pow5 = (x) => {
  const x2 = (x * x) % P;
  return (((x2 * x2) % P) * x) % P;
};
function permute(a, b) {
  let t = a + b;
  a = mod(a + t);
  b = mod(b + t);
  for (let i = 0; i < ROUNDS; i++) {
    if (isFull(i)) {
      a = pow5(mod(a + rk[i][0]));
      b = pow5(mod(b + rk[i][1]));
      t = a + b;
      a = mod(a + t);
      b = mod(b + t);
    } else {
      a = pow5(mod(a + rk[i][0]));
      const s = a + b;
      a = mod(a + s);
      b = mod(2n * b + s);
    }
  }
  return [a, b];
}
const compress = (l, r) => mod(permute(l, r)[1] + r);
const hash = (xs) => xs.reduce((s, x) => compress(s, x), 0n);

for (const v of vectors.permutation) {
  const [c, d] = permute(BigInt(v.input[0]), BigInt(v.input[1]));
  if (c !== BigInt(v.output[0]) || d !== BigInt(v.output[1])) throw new Error('permutation vector mismatch');
}
for (const v of vectors.compress) {
  if (compress(BigInt(v.left), BigInt(v.right)) !== BigInt(v.output)) throw new Error('compress vector mismatch');
}
for (const v of vectors.hash) {
  if (hash(v.inputs.map(BigInt)) !== BigInt(v.output)) throw new Error('hash vector mismatch');
}

const hex = (x) => '0x' + x.toString(16).padStart(64, '0');

if (process.argv.includes('--layout')) {
  const tag = (s) => BigInt('0x' + Buffer.from(s, 'ascii').toString('hex'));
  const tags = {
    ACCOUNT: 'zkperp/account/v1',
    POSITION: 'zkperp/position/v1',
    FILL: 'zkperp/fill/v1',
    MARKET: 'zkperp/market/v1',
    MARKET_RISK: 'zkperp/market-risk/v1',
    GLOBAL: 'zkperp/global/v1',
    STATE: 'zkperp/state/v1',
  };
  for (const [k, s] of Object.entries(tags)) console.log(`uint256 internal constant TAG_${k} = ${hex(tag(s))};`);
  for (const [k, s] of Object.entries(tags)) {
    console.log(`uint256 internal constant ${k}_IV = ${hex(compress(0n, tag(s)))};`);
  }
  let z = 0n;
  for (let h = 0; h <= 24; h++) {
    console.log(`case ${h} { z := ${hex(z)} }`);
    z = compress(z, z);
  }
  const zs = [0n];
  for (let h = 1; h <= 24; h++) zs.push(compress(zs[h - 1], zs[h - 1]));
  const global0 = hash([tag(tags.GLOBAL), 0n, 0n]);
  console.log('genesis', hex(hash([tag(tags.STATE), zs[24], zs[6], global0])));
  process.exit(0);
}

// ---- src/Poseidon2.sol -------------------------------------------------------------------------
// Lazy reduction: R < 2^254 and 5R < 2^256, so sums of a few values below R need no reduction
// before mulmod (which accepts any 256-bit operands). Bounds, as multiples of R:
//   start:         x = 2a + b, y = a + 2b < 3R (the external matrix applied once)
//   full round:    in x, y < 3R; + key < 4R; S-box -> a, b < R; x' = 2a + b, y' = a + 2b < 3R
//   partial round: in x < 4R (its key already added), y < R; S-box -> u < R;
//                  x' = 2u + y (+ next partial key) < 4R; y' = (3y + u) mod R < R
//   the full round before the first partial round reduces y' (addmod) and adds the next key to x'.
// The outputs (< 3R) are reduced by the callers.
const L = [];
const keyName = (i, j) => (isFull(i) ? `RK${i}_${j}` : `RK${i}`);
let n = 0;
const flat = [];
for (let i = 0; i < ROUNDS; i++) for (let j = 0; j < rk[i].length; j++) flat.push([keyName(i, j), rk[i][j], n++]);

L.push('// SPDX-License-Identifier: UNLICENSED');
L.push('// Generated by tools/gen-poseidon2.js from test-vectors/poseidon2.json. Do not edit by hand.');
L.push('pragma solidity 0.8.30;');
L.push('');
L.push('/// @title Poseidon2 over the BN254 scalar field, exactly as gnark-crypto v0.21.0 defines it');
L.push('/// @notice Width 2, 6 full rounds (3 + 3), 50 partial rounds, S-box x^5; external matrix circ(2, 1)');
L.push('/// (also applied once before the first round), internal matrix [[2, 1], [1, 3]]. Round keys are the');
L.push('/// Keccak-256 chain seeded with "Poseidon2-BN254[t=2,rF=6,rP=50,d=5]" (key = K(h) mod r, h = K(h)),');
L.push('/// two per full round and one per partial round (added to the first element).');
L.push('/// - `compress(l, r) = P(l, r)[1] + r` (gnark-crypto `Permutation.Compress`), the Merkle node hash;');
L.push('/// - `hash(x1..xn)`: Merkle-Damgard over `compress` with IV 0 (s0 = 0, si = compress(si-1, xi)).');
L.push('/// Every input must be a canonical field element (< R): larger values revert with');
L.push('/// `NonCanonicalFieldElement`, they are never reduced (docs/state-layout.md, section 1).');
L.push('library Poseidon2 {');
L.push('    /// @notice The BN254 scalar field modulus r.');
L.push(`    uint256 internal constant R = ${P};`);
L.push('');
L.push('    /// @notice An input is not a canonical field element (it is >= R).');
L.push('    error NonCanonicalFieldElement(uint256 value);');
L.push('');
L.push('    // Round keys: RK<round>_<element> for full rounds (0-2, 53-55), RK<round> for partial rounds.');
for (const [name, v] of flat) L.push(`    uint256 internal constant ${name} = ${hex(v)};`);
L.push('');
L.push('    /// @notice The bare permutation P(a, b).');
L.push('    function permutation(uint256 a, uint256 b) internal pure returns (uint256, uint256) {');
L.push('        if (a >= R) revert NonCanonicalFieldElement(a);');
L.push('        if (b >= R) revert NonCanonicalFieldElement(b);');
L.push('        (uint256 x, uint256 y) = _permute(a, b);');
L.push('        return (x % R, y % R);');
L.push('    }');
L.push('');
L.push('    /// @notice Compress(l, r) = P(l, r)[1] + r mod R.');
L.push('    function compress(uint256 l, uint256 r) internal pure returns (uint256) {');
L.push('        if (l >= R) revert NonCanonicalFieldElement(l);');
L.push('        if (r >= R) revert NonCanonicalFieldElement(r);');
L.push('        (, uint256 y) = _permute(l, r);');
L.push('        return addmod(y, r, R);');
L.push('    }');
L.push('');
L.push('    /// @notice The Merkle-Damgard hash with IV 0: 0 for no input.');
L.push('    function hash(uint256[] memory inputs) internal pure returns (uint256 s) {');
L.push('        uint256 n = inputs.length;');
L.push('        for (uint256 i; i < n; ++i) {');
L.push('            s = compress(s, inputs[i]);');
L.push('        }');
L.push('    }');
L.push('');
L.push('    /// @notice The 62 round keys in order (round 0 element 0, round 0 element 1, ..., round 55 element 1).');
L.push(`    function roundKeys() internal pure returns (uint256[${flat.length}] memory k) {`);
for (const [name, , idx] of flat) L.push(`        k[${idx}] = ${name};`);
L.push('    }');
L.push('');
L.push('    /// @dev P(l, r) for l, r < R; outputs are < 3R, not reduced (see the bounds in the generator).');
L.push('    function _permute(uint256 l, uint256 r) private pure returns (uint256 x, uint256 y) {');
L.push('        assembly ("memory-safe") {');
L.push('            let p := R');
L.push('            let t := add(l, r)');
L.push('            x := add(l, t)');
L.push('            y := add(r, t)');
for (let i = 0; i < ROUNDS; i++) {
  // The key of a partial round is added by the round before it, while forming x.
  const nextPartial = i + 1 < ROUNDS && !isFull(i + 1);
  const plusNextKey = (e) => (nextPartial ? `add(${e}, ${keyName(i + 1, 0)})` : e);
  if (isFull(i)) {
    L.push(`            // full round ${i}`);
    L.push('            {');
    L.push(`                let a := add(x, ${keyName(i, 0)})`);
    L.push('                let a2 := mulmod(a, a, p)');
    L.push('                a := mulmod(mulmod(a2, a2, p), a, p)');
    L.push(`                let b := add(y, ${keyName(i, 1)})`);
    L.push('                let b2 := mulmod(b, b, p)');
    L.push('                b := mulmod(mulmod(b2, b2, p), b, p)');
    L.push(`                x := ${plusNextKey('add(add(a, a), b)')}`);
    L.push(`                y := ${nextPartial ? 'addmod(add(b, b), a, p)' : 'add(add(b, b), a)'}`);
    L.push('            }');
  } else {
    L.push(`            // partial round ${i} (its key is already in x)`);
    L.push('            {');
    L.push('                let x2 := mulmod(x, x, p)');
    L.push('                let x5 := mulmod(mulmod(x2, x2, p), x, p)');
    L.push(`                x := ${plusNextKey('add(add(x5, x5), y)')}`);
    L.push('                y := addmod(mul(y, 3), x5, p)');
    L.push('            }');
  }
}
L.push('        }');
L.push('    }');
L.push('}');

fs.writeFileSync(path.join(ROOT, 'src/Poseidon2.sol'), L.join('\n') + '\n');
require('child_process').execFileSync(path.join(ROOT, 'tools/forge'), ['fmt', 'src/Poseidon2.sol'], {
  cwd: ROOT,
  stdio: 'inherit',
});
console.log(`wrote src/Poseidon2.sol (${flat.length} round keys), formatted with forge fmt`);
