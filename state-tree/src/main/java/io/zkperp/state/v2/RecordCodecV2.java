package io.zkperp.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.v2.AccountIdentity;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FeeTier;
import io.zkperp.protocol.state.v2.FeeTiers;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketRiskV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.OracleSigner;
import io.zkperp.protocol.state.v2.OracleSignerSet;
import io.zkperp.protocol.state.v2.PositionList;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte encodings of the layout-v2 records in the store's record columns (fixed length, big-endian;
 * field elements canonical 32 bytes). Decoding re-validates through the protocol records (canonical
 * elements, canonical position list, fee tier and quorum ranges), so stored bytes that do not parse
 * throw.
 *
 * <p>Stateless; any thread.
 */
final class RecordCodecV2 {
  static final int ACCOUNT_BYTES = 32 + 32 + 20 + 1 + 8 + 8 + 4 * 32;
  static final int FILL_BYTES = 16;
  static final int MARKET_BYTES = 5 * 8 + 12 * 8;
  static final int GLOBAL_BYTES =
      8 + 1 + LayoutV2.ORACLE_SIGNER_SLOTS * 64 + LayoutV2.FEE_TIERS * 8;

  private RecordCodecV2() {}

  static byte[] account(AccountV2 a) {
    ByteBuffer b = ByteBuffer.allocate(ACCOUNT_BYTES);
    AccountIdentity id = a.identity();
    b.put(id.publicKeyX().toBytes()).put(id.publicKeyY().toBytes()).put(id.owner().toBytes());
    b.put((byte) id.feeTier()).putLong(a.nonce()).putLong(a.collateral());
    for (Fr q : a.positions().pack()) {
      b.put(q.toBytes());
    }
    return b.array();
  }

  static AccountV2 account(byte[] bytes) {
    ByteBuffer b = checked(bytes, ACCOUNT_BYTES, "account");
    Fr x = fr(b);
    Fr y = fr(b);
    byte[] owner = new byte[L1Address.BYTES];
    b.get(owner);
    int tier = b.get() & 0xff;
    long nonce = b.getLong();
    long collateral = b.getLong();
    Fr[] q = new Fr[PositionList.ELEMENTS];
    for (int i = 0; i < q.length; i++) {
      q[i] = fr(b);
    }
    return new AccountV2(
        new AccountIdentity(x, y, L1Address.of(owner), tier),
        nonce,
        collateral,
        PositionList.unpack(q));
  }

  static byte[] fill(FillV2 f) {
    return ByteBuffer.allocate(FILL_BYTES)
        .putLong(f.orderNonce())
        .putLong(f.filledAmount())
        .array();
  }

  static FillV2 fill(byte[] bytes) {
    ByteBuffer b = checked(bytes, FILL_BYTES, "fill");
    return new FillV2(b.getLong(), b.getLong());
  }

  static byte[] market(MarketV2 m) {
    MarketRiskV2 r = m.risk();
    return ByteBuffer.allocate(MARKET_BYTES)
        .putLong(m.oraclePrice())
        .putLong(m.oracleTimestamp())
        .putLong(m.fundingIndex())
        .putLong(m.fundingTimestamp())
        .putLong(m.openInterest())
        .putLong(r.initialMarginPpm())
        .putLong(r.maintenanceMarginPpm())
        .putLong(r.baselinePositionSize())
        .putLong(r.incrementalPositionSize())
        .putLong(r.incrementalInitialMarginPpm())
        .putLong(r.maxPositionSize())
        .putLong(r.openInterestCap())
        .putLong(r.oracleMaxAgeSeconds())
        .putLong(r.oracleMaxFutureSeconds())
        .putLong(r.oracleMaxMovePpm())
        .putLong(r.fundingMinIntervalSeconds())
        .putLong(r.fundingMaxRatePpm())
        .array();
  }

  static MarketV2 market(byte[] bytes) {
    ByteBuffer b = checked(bytes, MARKET_BYTES, "market");
    long[] v = new long[17];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.getLong();
    }
    MarketRiskV2 risk =
        new MarketRiskV2(
            v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16]);
    return new MarketV2(v[0], v[1], v[2], v[3], v[4], risk);
  }

  static byte[] global(GlobalV2 g) {
    ByteBuffer b = ByteBuffer.allocate(GLOBAL_BYTES);
    b.putLong(g.feeBalance()).put((byte) g.oracleQuorum());
    for (OracleSigner s : g.oracleSigners().slots()) {
      b.put(s.keyX().toBytes()).put(s.keyY().toBytes());
    }
    for (FeeTier t : g.feeTiers().tiers()) {
      b.putInt(t.makerPpm()).putInt(t.takerPpm());
    }
    return b.array();
  }

  static GlobalV2 global(byte[] bytes) {
    ByteBuffer b = checked(bytes, GLOBAL_BYTES, "global");
    long fee = b.getLong();
    int quorum = b.get() & 0xff;
    List<OracleSigner> signers = new ArrayList<>(LayoutV2.ORACLE_SIGNER_SLOTS);
    for (int i = 0; i < LayoutV2.ORACLE_SIGNER_SLOTS; i++) {
      signers.add(new OracleSigner(fr(b), fr(b)));
    }
    List<FeeTier> tiers = new ArrayList<>(LayoutV2.FEE_TIERS);
    for (int i = 0; i < LayoutV2.FEE_TIERS; i++) {
      tiers.add(new FeeTier(b.getInt(), b.getInt()));
    }
    return new GlobalV2(fee, new OracleSignerSet(signers), quorum, new FeeTiers(tiers));
  }

  private static ByteBuffer checked(byte[] bytes, int length, String what) {
    if (bytes.length != length) {
      throw new IllegalArgumentException(
          what + " v2 record of " + bytes.length + " bytes, expected " + length);
    }
    return ByteBuffer.wrap(bytes);
  }

  private static Fr fr(ByteBuffer b) {
    byte[] e = new byte[Fr.BYTES];
    b.get(e);
    return Fr.fromBytes(e);
  }
}
