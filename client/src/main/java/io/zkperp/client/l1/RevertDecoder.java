package io.zkperp.client.l1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;

/**
 * Decodes revert data by the custom errors of the ABIs that {@code l1-bindings} ships
 * (ZkPerpRollup, TestUSD): selector → name and argument types. Immutable after construction; any
 * thread.
 */
final class RevertDecoder {
  private static final String ABI_DIR = "/io/zkperp/l1/contracts/abi/";
  private static final RevertDecoder INSTANCE = new RevertDecoder("ZkPerpRollup", "TestUSD");

  private final Map<String, ErrorAbi> bySelector = new HashMap<>();

  private record ErrorAbi(String contract, String name, List<String> types) {}

  private RevertDecoder(String... contracts) {
    ObjectMapper mapper = new ObjectMapper();
    for (String c : contracts) {
      try (InputStream in = RevertDecoder.class.getResourceAsStream(ABI_DIR + c + ".abi")) {
        if (in == null) {
          continue;
        }
        for (JsonNode item : mapper.readTree(in)) {
          if (!"error".equals(item.path("type").asText())) {
            continue;
          }
          List<String> types = new ArrayList<>();
          item.path("inputs").forEach(i -> types.add(i.path("type").asText()));
          String signature = item.path("name").asText() + "(" + String.join(",", types) + ")";
          String selector = Hash.sha3String(signature).substring(2, 10);
          bySelector.putIfAbsent(selector, new ErrorAbi(c, item.path("name").asText(), types));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Whether a decoded error ({@link #decode}) is one of the rollup contract's own custom errors.
   *
   * @param decoded the output of {@link #decode}
   * @return true for e.g. {@code AccountNotBound(7, 0x…)}, false for a token's error or raw data
   */
  static boolean isRollupError(String decoded) {
    int paren = decoded.indexOf('(');
    if (paren <= 0) {
      return false;
    }
    String name = decoded.substring(0, paren);
    return INSTANCE.bySelector.values().stream()
        .anyMatch(e -> e.contract().equals("ZkPerpRollup") && e.name().equals(name));
  }

  /**
   * The error of some revert data.
   *
   * @param data 0x-prefixed revert data (may be null or empty)
   * @return {@code Name(arg, …)}, or the raw data when no ABI declares its selector
   */
  static String decode(String data) {
    if (data == null || data.length() < 10) {
      return data == null || data.isEmpty() ? "(no revert data)" : data;
    }
    String hex = data.startsWith("0x") ? data.substring(2) : data;
    ErrorAbi abi = INSTANCE.bySelector.get(hex.substring(0, 8).toLowerCase(java.util.Locale.ROOT));
    if (abi == null) {
      return data;
    }
    try {
      return abi.name()
          + "("
          + values(hex.substring(8), abi.types()).stream()
              .map(v -> v instanceof Address a ? a.getValue() : String.valueOf(v.getValue()))
              .collect(Collectors.joining(", "))
          + ")";
    } catch (ClassNotFoundException | RuntimeException e) {
      return abi.name() + "(0x" + hex.substring(8) + ")";
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Type<?>> values(String argsHex, List<String> types)
      throws ClassNotFoundException {
    List refs = new ArrayList<>();
    for (String t : types) {
      refs.add(TypeReference.makeTypeReference(t));
    }
    List decoded = FunctionReturnDecoder.decode("0x" + argsHex, refs);
    return decoded;
  }
}
