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

/// @notice TEST ONLY. An ERC-20 anyone can mint, the base of the test tokens below.
abstract contract MintableToken is ERC20 {
    constructor(string memory name, string memory symbol) ERC20(name, symbol) {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}

/// @notice TEST ONLY. A collateral token that calls back into the rollup while it transfers
/// tokens out of it (what a malicious or hook-bearing token could do), recording what happened.
contract ReentrantToken is MintableToken {
    ZkPerpRollup public rollup;
    bool public attack;
    bytes public reentryError;
    uint256 public reentries;

    constructor() MintableToken("Reentrant", "RE") {}

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
contract FeeToken is MintableToken {
    constructor() MintableToken("Fee", "FEE") {}

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = value / 100;
            super._update(from, address(0xdead), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}

/// @notice TEST ONLY. The ERC-777 hooks (tokensToSend / tokensReceived) in ERC-20 shape.
interface ITokenHooks {
    function tokensToSend(address from, address to, uint256 amount) external;
    function tokensReceived(address from, address to, uint256 amount) external;
}

/// @notice TEST ONLY. An ERC-777-style collateral token: before moving tokens it calls
/// tokensToSend on a sender that registered hooks, after moving them tokensReceived on a recipient
/// that did, so a depositor contract runs code in the middle of the rollup's transferFrom and
/// transfer.
contract HookToken is MintableToken {
    mapping(address holder => bool) public hooked;

    constructor() MintableToken("Hooks", "HOOK") {}

    function registerHooks() external {
        hooked[msg.sender] = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && hooked[from]) ITokenHooks(from).tokensToSend(from, to, value);
        super._update(from, to, value);
        if (to != address(0) && hooked[to]) ITokenHooks(to).tokensReceived(from, to, value);
    }
}

/// @notice TEST ONLY. A depositor contract that, from a token hook, calls the rollup with calldata
/// it was armed with (once), records what the rollup looked like and how the call ended, and
/// either swallows the call's revert or lets it abort the outer call.
contract HookAttacker is ITokenHooks {
    ZkPerpRollup public immutable rollup;
    HookToken public immutable token;
    /// Calldata for the rollup from tokensToSend (the rollup pulls a deposit) and from
    /// tokensReceived (the rollup pays out); empty = none.
    bytes public onSend;
    bytes public onReceive;
    /// Whether a failed re-entry reverts the hook (and so the outer call).
    bool public propagate;
    uint256 public reentries;
    bool public reentrySucceeded;
    bytes public reentryError;
    /// What the hook saw: the rollup's nextAccountId and the owner of `watched`.
    uint256 public watched;
    uint256 public nextIdSeen;
    address public ownerSeen;

    constructor(ZkPerpRollup r, HookToken t) {
        rollup = r;
        token = t;
        t.registerHooks();
        t.approve(address(r), type(uint256).max);
    }

    receive() external payable {}

    function arm(bytes calldata sendCall, bytes calldata receiveCall, bool propagate_, uint256 watched_) external {
        onSend = sendCall;
        onReceive = receiveCall;
        propagate = propagate_;
        watched = watched_;
    }

    function deposit(uint256 id, uint256 x, uint256 y, uint64 amount) external returns (uint256) {
        return rollup.deposit(id, x, y, amount);
    }

    function requestForcedWithdrawal(uint256 id, uint64 amount) external payable returns (uint256) {
        return rollup.requestForcedWithdrawal{value: msg.value}(id, amount);
    }

    function withdraw() external {
        rollup.withdraw();
    }

    function tokensToSend(address, address, uint256) external {
        bytes memory data = onSend;
        delete onSend;
        if (msg.sender == address(token) && data.length != 0) _reenter(data);
    }

    function tokensReceived(address, address, uint256) external {
        bytes memory data = onReceive;
        delete onReceive;
        if (msg.sender == address(token) && data.length != 0) _reenter(data);
    }

    function _reenter(bytes memory data) private {
        ++reentries;
        nextIdSeen = rollup.nextAccountId();
        ownerSeen = rollup.accountOwner(watched);
        (bool ok, bytes memory ret) = address(rollup).call(data);
        reentrySucceeded = ok;
        reentryError = ret;
        if (!ok && propagate) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
    }
}

/// @notice TEST ONLY. A token whose transfer and transferFrom return false (moving nothing) once
/// switched to failing: SafeERC20 must turn that into a revert.
contract FalseToken is MintableToken {
    bool public failing;

    constructor() MintableToken("False", "FALSE") {}

    function setFailing(bool f) external {
        failing = f;
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        return failing ? false : super.transfer(to, value);
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        return failing ? false : super.transferFrom(from, to, value);
    }
}

/// @notice TEST ONLY. Has code and no receive or fallback: refuses ether.
contract EtherRefuser {}
