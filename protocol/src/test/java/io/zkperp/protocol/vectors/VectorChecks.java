package io.zkperp.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.EdDsaSignature;
import io.zkperp.protocol.eddsa.EdwardsPoint;
import io.zkperp.protocol.eddsa.PublicKeyTable;
import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.hash.Poseidon2Hasher;
import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.Market;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.protocol.state.Position;
import io.zkperp.protocol.state.StateLayout;
import io.zkperp.protocol.state.StateRoot;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Checks the Java implementation against each golden vector file. Every check returns the list of
 * mismatches (JSON path and what differed) instead of failing at the first, so that the same code
 * proves agreement (empty list) and proves that an altered vector is caught (non-empty list).
 */
public final class VectorChecks {
  private static final HexFormat HEX = HexFormat.of();

  private VectorChecks() {}

  /** {@code field.json}: canonical encodings, rejected encodings, the i64 embedding. */
  public static List<String> field(JsonNode v) {
    List<String> out = new ArrayList<>();
    expectEqual(
        out,
        "$.modulus",
        hex(v.get("modulus")),
        Fr.MODULUS.toByteArray().length == 33
            ? Arrays.copyOfRange(Fr.MODULUS.toByteArray(), 1, 33)
            : Fr.MODULUS.toByteArray());
    int i = 0;
    for (JsonNode c : v.get("canonical")) {
      String path = "$.canonical[" + i++ + "]";
      byte[] bytes = hex(c.get("bytes"));
      Fr x = attempt(out, path, () -> Fr.fromBytes(bytes));
      if (x != null) {
        expectEqual(
            out, path + ".value", x.toBigInteger(), new BigInteger(c.get("value").asText()));
        expectEqual(out, path + ".bytes", x.toBytes(), bytes);
      }
    }
    i = 0;
    for (JsonNode c : v.get("invalid")) {
      String path = "$.invalid[" + i++ + "]";
      byte[] bytes = hex(c.get("bytes"));
      EncodingError expected =
          switch (c.get("reason").asText()) {
            case "non_canonical" -> EncodingError.NON_CANONICAL_FIELD_ELEMENT;
            case "wrong_length" -> EncodingError.WRONG_LENGTH;
            default -> null;
          };
      expectRejected(out, path, expected, () -> Fr.fromBytes(bytes));
    }
    i = 0;
    for (JsonNode c : v.get("signed")) {
      String path = "$.signed[" + i++ + "]";
      long value = Long.parseLong(c.get("value").asText());
      Fr element = attempt(out, path + ".element", () -> Fr.fromHex(c.get("element").asText()));
      if (element != null) {
        expectEqual(out, path + ".element", Fr.fromLong(value), element);
        Long decoded = attempt(out, path, element::toLong);
        expectEqual(out, path + ".value", decoded, value);
      }
    }
    return out;
  }

  /** {@code poseidon2.json}: parameters and round keys, permutation, compress, hash, rejections. */
  public static List<String> poseidon2(JsonNode v) {
    List<String> out = new ArrayList<>();
    JsonNode p = v.get("parameters");
    expectEqual(out, "$.parameters.width", p.get("width").asInt(), Poseidon2.WIDTH);
    expectEqual(out, "$.parameters.fullRounds", p.get("fullRounds").asInt(), Poseidon2.FULL_ROUNDS);
    expectEqual(
        out,
        "$.parameters.partialRounds",
        p.get("partialRounds").asInt(),
        Poseidon2.PARTIAL_ROUNDS);
    expectEqual(out, "$.parameters.seed", p.get("seed").asText(), Poseidon2.SEED);
    Fr[][] keys = Poseidon2.roundKeys();
    JsonNode rk = p.get("roundKeys");
    expectEqual(out, "$.parameters.roundKeys.length", rk.size(), keys.length);
    for (int r = 0; r < Math.min(rk.size(), keys.length); r++) {
      expectEqual(out, "$.parameters.roundKeys[" + r + "]", frs(rk.get(r)), Arrays.asList(keys[r]));
    }
    int i = 0;
    for (JsonNode c : v.get("permutation")) {
      List<Fr> in = frs(c.get("input"));
      Fr[] got = Poseidon2.permute(in.get(0), in.get(1));
      expectEqual(
          out, "$.permutation[" + i++ + "].output", Arrays.asList(got), frs(c.get("output")));
    }
    i = 0;
    for (JsonNode c : v.get("compress")) {
      String path = "$.compress[" + i++ + "].output";
      byte[] got = Poseidon2.compress(hex(c.get("left")), hex(c.get("right")));
      expectEqual(out, path, got, hex(c.get("output")));
    }
    i = 0;
    for (JsonNode c : v.get("hash")) {
      String path = "$.hash[" + i++ + "].output";
      List<Fr> in = frs(c.get("inputs"));
      Fr expected = Fr.fromHex(c.get("output").asText());
      expectEqual(out, path, Poseidon2.hash(in.toArray(Fr[]::new)), expected);
      Poseidon2Hasher h = new Poseidon2Hasher();
      in.forEach(h::write);
      expectEqual(out, path + " (incremental)", h.sum(), expected);
      byte[] bytes = new byte[in.size() * Fr.BYTES];
      for (int k = 0; k < in.size(); k++) {
        in.get(k).writeBytes(bytes, k * Fr.BYTES);
      }
      expectEqual(out, path + " (bytes)", new Poseidon2Hasher().writeBytes(bytes).sum(), expected);
    }
    i = 0;
    for (JsonNode c : v.get("invalidCompress")) {
      String path = "$.invalidCompress[" + i++ + "]";
      expectRejected(
          out,
          path,
          EncodingError.NON_CANONICAL_FIELD_ELEMENT,
          () -> Poseidon2.compress(hex(c.get("left")), hex(c.get("right"))));
    }
    return out;
  }

  /** {@code eddsa.json}: curve, key derivation, signatures (bit-exact), rejected signatures. */
  public static List<String> eddsa(JsonNode v) {
    List<String> out = new ArrayList<>();
    JsonNode curve = v.get("curve");
    expectEqual(
        out, "$.curve.d", new BigInteger(curve.get("d").asText()), EdwardsPoint.D.toBigInteger());
    expectEqual(
        out, "$.curve.order", new BigInteger(curve.get("order").asText()), EdwardsPoint.ORDER);
    expectEqual(
        out, "$.curve.baseX", Fr.fromHex(curve.get("baseX").asText()), EdwardsPoint.BASE.x());
    expectEqual(
        out, "$.curve.baseY", Fr.fromHex(curve.get("baseY").asText()), EdwardsPoint.BASE.y());
    List<EdDsaPrivateKey> keys = new ArrayList<>();
    int i = 0;
    for (JsonNode k : v.get("keys")) {
      String path = "$.keys[" + i++ + "]";
      EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(hex(k.get("seed")));
      keys.add(key);
      expectEqual(out, path + ".scalar", key.scalar(), new BigInteger(1, hex(k.get("scalar"))));
      expectEqual(out, path + ".randSrc", key.randSrc(), hex(k.get("randSrc")));
      expectEqual(out, path + ".publicKey", key.publicKey().encode(), hex(k.get("publicKey")));
      expectEqual(
          out,
          path + ".publicKeyX",
          key.publicKey().point().x(),
          Fr.fromHex(k.get("publicKeyX").asText()));
      expectEqual(
          out,
          path + ".publicKeyY",
          key.publicKey().point().y(),
          Fr.fromHex(k.get("publicKeyY").asText()));
      EdDsaPublicKey decoded =
          attempt(out, path, () -> EdDsaPublicKey.decode(hex(k.get("publicKey"))));
      expectEqual(out, path + ".publicKey (decoded)", decoded, key.publicKey());
      EdDsaPrivateKey reparsed = attempt(out, path, () -> EdDsaPrivateKey.decode(key.encode()));
      expectEqual(
          out, path + " (96-byte form)", reparsed == null ? null : reparsed.scalar(), key.scalar());
    }
    i = 0;
    for (JsonNode s : v.get("signatures")) {
      String path = "$.signatures[" + i++ + "]";
      EdDsaPrivateKey key = keys.get(s.get("seedIndex").asInt());
      Fr[] message = frs(s.get("message")).toArray(Fr[]::new);
      EdDsaSignature sig = EdDsa.sign(key, message);
      expectEqual(out, path + ".signature", sig.encode(), hex(s.get("signature")));
      expectEqual(out, path + ".rX", sig.r().x(), Fr.fromHex(s.get("rX").asText()));
      expectEqual(out, path + ".rY", sig.r().y(), Fr.fromHex(s.get("rY").asText()));
      expectEqual(out, path + ".s", sig.s(), new BigInteger(1, hex(s.get("s"))));
      expectEqual(
          out,
          path + ".challenge",
          EdDsa.challenge(sig.r(), key.publicKey().point(), message),
          Fr.fromHex(s.get("challenge").asText()));
      EdDsaSignature parsed =
          attempt(out, path, () -> EdDsaSignature.decode(hex(s.get("signature"))));
      if (parsed != null && !EdDsa.verify(key.publicKey(), parsed, message)) {
        out.add(path + ": a valid signature did not verify");
      }
      Boolean fast =
          attempt(out, path, () -> EdDsa.verify(key.publicKey(), hex(s.get("signature")), message));
      if (!Boolean.TRUE.equals(fast)) {
        out.add(path + ": a valid signature did not verify on the encoded fast path");
      }
      Boolean tabled =
          attempt(
              out,
              path,
              () ->
                  EdDsa.verify(
                      PublicKeyTable.of(key.publicKey()), hex(s.get("signature")), message));
      if (!Boolean.TRUE.equals(tabled)) {
        out.add(path + ": a valid signature did not verify with the key's comb table");
      }
    }
    i = 0;
    for (JsonNode c : v.get("invalid")) {
      String path = "$.invalid[" + i++ + "]";
      String reason = c.get("reason").asText();
      byte[] pk = hex(c.get("publicKey"));
      byte[] sigBytes = hex(c.get("signature"));
      Fr[] message = frs(c.get("message")).toArray(Fr[]::new);
      EncodingError expected =
          switch (reason) {
            case "wrong_message", "wrong_key", "s_tampered" -> null;
            case "s_not_below_order", "s_zero" -> EncodingError.SCALAR_OUT_OF_RANGE;
            case "r_not_on_curve" -> EncodingError.POINT_NOT_ON_CURVE;
            case "r_not_in_subgroup", "key_not_in_subgroup" -> EncodingError.POINT_NOT_IN_SUBGROUP;
            case "r_y_not_canonical" -> EncodingError.POINT_Y_NOT_CANONICAL;
            case "wrong_length_short", "wrong_length_long" -> EncodingError.WRONG_LENGTH;
            case "key_identity" -> EncodingError.POINT_IDENTITY;
            default -> {
              out.add(path + ": unknown reason " + reason);
              yield null;
            }
          };
      // The encoded fast path must refuse every invalid case too (false or a typed error).
      try {
        if (EdDsa.verify(EdDsaPublicKey.decode(pk), sigBytes, message)) {
          out.add(path + " (" + reason + "): the encoded fast path accepted it");
        }
      } catch (InvalidEncodingException e) {
        // refused while decoding: fine
      }
      try {
        if (EdDsa.verify(PublicKeyTable.of(EdDsaPublicKey.decode(pk)), sigBytes, message)) {
          out.add(path + " (" + reason + "): the comb-table path accepted it");
        }
      } catch (InvalidEncodingException e) {
        // refused while decoding: fine
      }
      if (expected == null) {
        EdDsaPublicKey key = attempt(out, path, () -> EdDsaPublicKey.decode(pk));
        EdDsaSignature sig = attempt(out, path, () -> EdDsaSignature.decode(sigBytes));
        if (key != null && sig != null && EdDsa.verify(key, sig, message)) {
          out.add(path + " (" + reason + "): verified, but gnark-crypto rejects it");
        }
      } else {
        expectRejected(
            out,
            path + " (" + reason + ")",
            expected,
            () ->
                EdDsa.verify(EdDsaPublicKey.decode(pk), EdDsaSignature.decode(sigBytes), message));
      }
    }
    return out;
  }

  /** {@code points.json}: the strict compressed-point decoder. */
  public static List<String> points(JsonNode v) {
    List<String> out = new ArrayList<>();
    int i = 0;
    for (JsonNode c : v.get("points")) {
      String path = "$.points[" + i++ + "]";
      byte[] enc = hex(c.get("encoding"));
      String reason = c.get("reason").asText();
      switch (reason) {
        case "y_not_canonical" ->
            expectRejected(
                out, path, EncodingError.POINT_Y_NOT_CANONICAL, () -> EdwardsPoint.decode(enc));
        case "not_on_curve" ->
            expectRejected(
                out, path, EncodingError.POINT_NOT_ON_CURVE, () -> EdwardsPoint.decode(enc));
        case "negative_zero" ->
            expectRejected(
                out, path, EncodingError.POINT_NEGATIVE_ZERO, () -> EdwardsPoint.decode(enc));
        case "identity", "not_in_subgroup", "ok" -> {
          EdwardsPoint p = attempt(out, path, () -> EdwardsPoint.decode(enc));
          if (p != null) {
            expectEqual(out, path + ".x", p.x(), Fr.fromHex(c.get("x").asText()));
            expectEqual(out, path + ".y", p.y(), Fr.fromHex(c.get("y").asText()));
            expectEqual(out, path + " (re-encoded)", p.encode(), enc);
            expectEqual(
                out,
                path + ".valid",
                p.isInSubgroup() && !p.isIdentity(),
                c.get("valid").asBoolean());
          }
          if (reason.equals("ok")) {
            attempt(out, path, () -> EdDsaPublicKey.decode(enc));
          } else {
            EncodingError e =
                reason.equals("identity")
                    ? EncodingError.POINT_IDENTITY
                    : EncodingError.POINT_NOT_IN_SUBGROUP;
            expectRejected(out, path, e, () -> EdDsaPublicKey.decode(enc));
          }
        }
        default -> out.add(path + ": unknown reason " + reason);
      }
    }
    return out;
  }

  /** {@code state.json}: depths, tags, empty roots, genesis root and every leaf encoding. */
  public static List<String> stateLayout(JsonNode v) {
    List<String> out = new ArrayList<>();
    JsonNode d = v.get("depths");
    expectEqual(out, "$.depths.accounts", d.get("accounts").asInt(), StateLayout.ACCOUNTS_DEPTH);
    expectEqual(out, "$.depths.positions", d.get("positions").asInt(), StateLayout.POSITIONS_DEPTH);
    expectEqual(out, "$.depths.fills", d.get("fills").asInt(), StateLayout.FILLS_DEPTH);
    expectEqual(out, "$.depths.markets", d.get("markets").asInt(), StateLayout.MARKETS_DEPTH);
    Map<String, Fr> tags =
        Map.of(
            "account", StateLayout.TAG_ACCOUNT,
            "position", StateLayout.TAG_POSITION,
            "fill", StateLayout.TAG_FILL,
            "market", StateLayout.TAG_MARKET,
            "marketRisk", StateLayout.TAG_MARKET_RISK,
            "global", StateLayout.TAG_GLOBAL,
            "state", StateLayout.TAG_STATE);
    expectEqual(out, "$.tags (names)", v.get("tags").size(), tags.size());
    tags.forEach(
        (name, tag) -> expectEqual(out, "$.tags." + name, fr(v.get("tags").get(name)), tag));
    JsonNode e = v.get("emptyRoots");
    expectEqual(out, "$.emptyRoots.accounts", fr(e.get("accounts")), StateLayout.emptySubtree(24));
    expectEqual(out, "$.emptyRoots.positions", fr(e.get("positions")), StateLayout.emptySubtree(6));
    expectEqual(out, "$.emptyRoots.fills", fr(e.get("fills")), StateLayout.emptySubtree(16));
    expectEqual(out, "$.emptyRoots.markets", fr(e.get("markets")), StateLayout.emptySubtree(6));
    expectEqual(out, "$.genesisRoot", fr(v.get("genesisRoot")), StateRoot.GENESIS);
    int i = 0;
    for (JsonNode leaf : v.get("leaves")) {
      String path = "$.leaves[" + i++ + "].hash";
      JsonNode f = leaf.get("fields");
      Fr expected = fr(leaf.get("hash"));
      Fr got =
          switch (leaf.get("kind").asText()) {
            case "account" ->
                account(f).leafHash(fr(f.get("positionsRoot")), fr(f.get("fillsRoot")));
            case "position" ->
                new Position(i64(f.get("size")), i64(f.get("fundingIndexSnapshot"))).leafHash();
            case "fill" ->
                new Fill(u64(f.get("orderNonce")), u64(f.get("filledAmount"))).leafHash();
            case "marketRisk" -> risk(f).hash();
            case "market" -> marketLeafFromRiskHash(f);
            case "global" ->
                new GlobalState(i64(f.get("insuranceFund")), i64(f.get("feeBalance"))).leafHash();
            default -> null;
          };
      expectEqual(out, path + " (" + leaf.get("kind").asText() + ")", got, expected);
    }
    return out;
  }

  /** Reads a risk object in the vectors' field names. */
  public static MarketRisk risk(JsonNode r) {
    return new MarketRisk(
        u64(r.get("initialMarginPpm")),
        u64(r.get("maintenanceMarginPpm")),
        u64(r.get("baselinePositionSize")),
        u64(r.get("incrementalPositionSize")),
        u64(r.get("incrementalInitialMarginPpm")),
        u64(r.get("maxPositionSize")),
        u64(r.get("openInterestCap")));
  }

  // The vectors give a market leaf's riskHash directly; Market only hashes a MarketRisk, so
  // recompute the leaf from its definition here and check Market itself through the scenarios.
  private static Fr marketLeafFromRiskHash(JsonNode f) {
    return Poseidon2.hash(
        StateLayout.TAG_MARKET,
        Fr.fromUnsignedLong(u64(f.get("oraclePrice"))),
        Fr.fromUnsignedLong(u64(f.get("oracleTimestamp"))),
        Fr.fromLong(i64(f.get("fundingIndex"))),
        Fr.fromUnsignedLong(u64(f.get("fundingTimestamp"))),
        Fr.fromUnsignedLong(u64(f.get("openInterest"))),
        fr(f.get("riskHash")));
  }

  /** Reads the account fields of a {@code setAccount} step or an account leaf. */
  public static Account account(JsonNode f) {
    return new Account(
        fr(f.get("publicKeyX")),
        fr(f.get("publicKeyY")),
        L1Address.fromHex(f.get("l1Owner").asText()),
        u64(f.get("nonce")),
        i64(f.get("collateral")));
  }

  /** Reads a market step of a scenario. */
  public static Market market(JsonNode s) {
    return new Market(
        u64(s.get("oraclePrice")),
        u64(s.get("oracleTimestamp")),
        i64(s.get("fundingIndex")),
        u64(s.get("fundingTimestamp")),
        u64(s.get("openInterest")),
        risk(s.get("risk")));
  }

  /** Parses a field element. */
  public static Fr fr(JsonNode n) {
    return Fr.fromHex(n.asText());
  }

  /** Parses an array of field elements. */
  public static List<Fr> frs(JsonNode n) {
    List<Fr> out = new ArrayList<>();
    n.forEach(x -> out.add(fr(x)));
    return out;
  }

  /** Parses a decimal u64 (may exceed Long.MAX_VALUE). */
  public static long u64(JsonNode n) {
    return Long.parseUnsignedLong(n.asText());
  }

  /** Parses a decimal i64. */
  public static long i64(JsonNode n) {
    return Long.parseLong(n.asText());
  }

  /** Parses a 0x-prefixed byte string. */
  public static byte[] hex(JsonNode n) {
    String s = n.asText();
    return HEX.parseHex(s.startsWith("0x") ? s.substring(2) : s);
  }

  private static void expectEqual(List<String> out, String path, Object got, Object expected) {
    boolean eq =
        got instanceof byte[] a && expected instanceof byte[] b
            ? Arrays.equals(a, b)
            : java.util.Objects.equals(got, expected);
    if (!eq) {
      out.add(path + ": expected " + show(expected) + " but Java gives " + show(got));
    }
  }

  private static String show(Object o) {
    return o instanceof byte[] b ? "0x" + HEX.formatHex(b) : String.valueOf(o);
  }

  private static <T> T attempt(List<String> out, String path, Supplier<T> s) {
    try {
      return s.get();
    } catch (RuntimeException e) {
      out.add(path + ": unexpected " + e);
      return null;
    }
  }

  private static void expectRejected(
      List<String> out, String path, EncodingError expected, Supplier<?> action) {
    try {
      Object r = action.get();
      out.add(path + ": accepted (" + show(r) + ") but must be rejected with " + expected);
    } catch (InvalidEncodingException e) {
      if (expected != null && e.error() != expected) {
        out.add(path + ": rejected with " + e.error() + ", expected " + expected);
      }
    }
  }
}
