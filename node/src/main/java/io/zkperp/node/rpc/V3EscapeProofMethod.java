package io.zkperp.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.node.v3.EscapeProofRefusedException;
import io.zkperp.node.v3.V3EscapeProof;
import io.zkperp.node.v3.V3EscapeProofs;
import io.zkperp.protocol.state.v2.PositionEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * {@code perp_getEscapeProof} on a format v3 node: the argument of {@code ZkPerpRollupV3.escape}
 * ({@code EscapeV2.Proof}: the account proof with its positions, one market proof per held market)
 * in the layout v2 state of the last batch committed on L1 ({@link V3EscapeProofs}), with {@code
 * "format": "v3"} so that a client knows which contract call takes it, the positions unpacked and
 * what the contract will owe ({@code owed}, the contract's own rule; it pays min(owed, the verified
 * collateral left)). Public, as the v2 method ({@link EscapeProofMethod}). Reads run on the given
 * executor; {@link #handle} from any thread.
 */
public final class V3EscapeProofMethod extends AccountEscapeHandler {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final V3EscapeProofs proofs;

  /**
   * The handler.
   *
   * @param proofs the v3 node's escape proof builder
   * @param executor where the reads run
   */
  public V3EscapeProofMethod(V3EscapeProofs proofs, Executor executor) {
    super(executor);
    this.proofs = proofs;
  }

  /** The answer for one account (package-private for tests). */
  @Override
  JsonNode answer(int account) {
    V3EscapeProof proof;
    try {
      proof = proofs.of(account);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (EscapeProofRefusedException e) {
      throw switch (e.reason()) {
        case NO_VERIFIED_BATCH, UNKNOWN_ACCOUNT ->
            new RpcException(RpcError.NOT_IN_VERIFIED_STATE, e.getMessage());
        case INSURANCE_FUND, STATE_NOT_KEPT ->
            new RpcException(RpcError.ESCAPE_UNSUPPORTED, e.getMessage());
        case STORES_DISAGREE -> new IllegalStateException(e.getMessage(), e);
      };
    }
    return json(account, proof);
  }

  /**
   * The JSON of a proof: {@code {format, account, batch, stateRoot, owed, positions[], proof:
   * {account: {accountId, identity{…}, nonce, collateral, fillsRoot, positions[4],
   * accountSiblings[24], marketsRoot, globalLeaf}, markets: [{marketId, market{…},
   * siblings[6]}]}}}. Field elements, uint256 fields and {@code owed} are decimal strings. Any
   * thread.
   *
   * @param account the account asked about
   * @param proof its proof
   * @return the result
   */
  static ObjectNode json(int account, V3EscapeProof proof) {
    ZkPerpRollupV3.Proof arg = proof.contractArgument();
    ObjectNode o = JSON.objectNode();
    o.put("format", "v3");
    o.put("account", account);
    o.put("batch", proof.batch());
    o.put("stateRoot", proof.stateRoot().toBigInteger().toString());
    o.put("owed", proof.owed().toString());
    ArrayNode held = o.putArray("positions");
    for (PositionEntry e : proof.account().account().positions().entries()) {
      if (!e.isEmpty()) {
        held.addObject()
            .put("market", e.market())
            .put("size", e.size())
            .put("fundingSnapshot", e.fundingSnapshot());
      }
    }
    ObjectNode p = o.putObject("proof");
    ZkPerpRollupV3.AccountProof a = arg.account;
    ObjectNode ap = p.putObject("account");
    ap.put("accountId", a.accountId);
    ap.putObject("identity")
        .put("publicKeyX", a.identity.publicKeyX.toString())
        .put("publicKeyY", a.identity.publicKeyY.toString())
        .put("l1Owner", a.identity.l1Owner)
        .put("feeTier", a.identity.feeTier);
    ap.put("nonce", a.nonce);
    ap.put("collateral", a.collateral);
    ap.put("fillsRoot", a.fillsRoot.toString());
    decimals(ap.putArray("positions"), a.positions);
    decimals(ap.putArray("accountSiblings"), a.accountSiblings);
    ap.put("marketsRoot", a.marketsRoot.toString());
    ap.put("globalLeaf", a.globalLeaf.toString());
    ArrayNode markets = p.putArray("markets");
    for (ZkPerpRollupV3.MarketLeafProof m : arg.markets) {
      ObjectNode mp = markets.addObject();
      mp.put("marketId", m.marketId);
      mp.putObject("market")
          .put("oraclePrice", m.market.oraclePrice)
          .put("oracleTimestamp", m.market.oracleTimestamp)
          .put("fundingIndex", m.market.fundingIndex)
          .put("fundingTimestamp", m.market.fundingTimestamp)
          .put("openInterest", m.market.openInterest)
          .put("riskHash", m.market.riskHash.toString());
      decimals(mp.putArray("siblings"), m.siblings);
    }
    return o;
  }

  private static void decimals(ArrayNode into, List<BigInteger> values) {
    for (BigInteger v : values) {
      into.add(v.toString());
    }
  }
}
