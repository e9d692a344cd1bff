// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IBatchVerifier} from "../../src/IBatchVerifier.sol";
import {ZkPerpRollup} from "../../src/ZkPerpRollup.sol";

/// @notice TEST ONLY. The rollup with a setter for its genesis: a verified state root, batch
/// number, priority queue position and verified collateral, so that a golden batch of
/// test-vectors/batches.json (which starts from the state its predecessors left) can be committed
/// with its real proof without replaying the batches before it. Never deployed outside tests.
contract ZkPerpRollupHarness is ZkPerpRollup {
    constructor(
        IERC20 collateral,
        IBatchVerifier verifier_,
        address admin,
        address operator,
        uint256 forcedActionDeadline,
        uint256 verifierTimelock,
        uint256 forcedRequestFee
    ) ZkPerpRollup(collateral, verifier_, admin, operator, forcedActionDeadline, verifierTimelock, forcedRequestFee) {}

    /// @notice Pretends `consumed` deposits (ending with rolling hash `priorityHash`) and
    /// `batchNumber` batches have been verified, leaving `root` holding `verified` collateral
    /// (the caller funds the vault with it). Only before any deposit.
    function setGenesisForTest(
        uint256 root,
        uint64 batchNumber,
        uint256 consumed,
        uint256 priorityHash,
        uint256 verified
    ) external {
        require(priorityOpCount == 0, "harness: genesis after deposits");
        stateRoot = root;
        lastBatchNumber = batchNumber;
        priorityOpCount = consumed;
        consumedPriorityOps = consumed;
        priorityHashAt[consumed] = priorityHash;
        verifiedCollateral = verified;
    }

    /// @notice Binds account `id` to `owner` as its first deposit would have.
    function bindForTest(uint256 id, address owner) external {
        accountOwner[id] = owner;
    }

    /// @notice Lets the next new account get id `id` (the golden batches use ids 5 and 9).
    function setNextAccountIdForTest(uint256 id) external {
        nextAccountId = id;
    }
}

/// @notice TEST ONLY. Accepts every proof (the public input is still recomputed by the rollup).
contract AcceptAllVerifier is IBatchVerifier {
    function verifyProof(bytes calldata, uint256[1] calldata) external pure {}
}

/// @notice TEST ONLY. Accepts exactly the public inputs it was told, with the proof bytes "ok".
contract ExpectedInputVerifier is IBatchVerifier {
    error UnexpectedInput(uint256 input);

    mapping(uint256 => bool) public accepted;

    function accept(uint256 input) external {
        accepted[input] = true;
    }

    function verifyProof(bytes calldata proof, uint256[1] calldata input) external view {
        if (!accepted[input[0]] || keccak256(proof) != keccak256("ok")) revert UnexpectedInput(input[0]);
    }
}

/// @notice TEST ONLY. A collateral token that calls back into the rollup while it transfers
/// tokens out of it (what a malicious or hook-bearing token could do), recording what happened.
contract ReentrantToken is ERC20 {
    ZkPerpRollup public rollup;
    bool public attack;
    bytes public reentryError;
    uint256 public reentries;

    constructor() ERC20("Reentrant", "RE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(ZkPerpRollup r) external {
        rollup = r;
        attack = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (attack && from == address(rollup)) {
            attack = false;
            ++reentries;
            try rollup.withdraw() {
                reentryError = "";
            } catch (bytes memory err) {
                reentryError = err;
            }
        }
    }
}

/// @notice TEST ONLY. A token that keeps 1% of every transfer (fee-on-transfer): unsupported.
contract FeeToken is ERC20 {
    constructor() ERC20("Fee", "FEE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = value / 100;
            super._update(from, address(0xdead), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}
