package io.zkperp.l1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Decodes revert data of the zkperp contracts into {@link L1RevertException}s: the custom errors of
 * every ABI shipped with the generated wrappers (rollup, its OpenZeppelin bases, token, verifiers)
 * and {@code Error(string)}. Selectors are the first four bytes of the keccak-256 of the error's
 * canonical signature. Immutable after construction; any thread.
 */
public final class ContractErrors {
  private static final String ABI_PATH = "/io/zkperp/l1/contracts/abi/";
  private static final List<String> CONTRACTS =
      List.of("ZkPerpRollup", "TestUSD", "TinyBatchVerifier", "DevnetBatchVerifier");
  private static final String ERROR_STRING_SELECTOR = "0x08c379a0";

  private static final ContractErrors INSTANCE = load();

  private record ErrorAbi(String name, List<String> types) {}

  private final Map<String, ErrorAbi> bySelector;

  private ContractErrors(Map<String, ErrorAbi> bySelector) {
    this.bySelector = Map.copyOf(bySelector);
  }

  /**
   * The errors of all zkperp contracts.
   *
   * @return the shared decoder
   */
  public static ContractErrors zkperp() {
    return INSTANCE;
  }

  private static ContractErrors load() {
    ObjectMapper json = new ObjectMapper();
    Map<String, ErrorAbi> map = new HashMap<>();
    for (String contract : CONTRACTS) {
      try (InputStream in =
          ContractErrors.class.getResourceAsStream(ABI_PATH + contract + ".abi")) {
        if (in == null) {
          throw new IllegalStateException("ABI of " + contract + " missing from l1-bindings");
        }
        for (JsonNode entry : json.readTree(in)) {
          if (!"error".equals(entry.path("type").asText())) {
            continue;
          }
          List<String> types = new ArrayList<>();
          for (JsonNode input : entry.path("inputs")) {
            types.add(input.path("type").asText());
          }
          String signature = entry.path("name").asText() + "(" + String.join(",", types) + ")";
          map.put(selector(signature), new ErrorAbi(entry.path("name").asText(), types));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ContractErrors(map);
  }

  /**
   * The 4-byte selector of a signature such as {@code "WrongBatchNumber(uint64,uint64)"}.
   *
   * @param signature the canonical signature
   * @return 0x-hex, 8 digits
   */
  public static String selector(String signature) {
    return Hash.sha3String(signature).substring(0, 10);
  }

  /**
   * Whether a custom error of this name is known.
   *
   * @param name the error name
   * @return true if some ABI declares it
   */
  public boolean knows(String name) {
    return bySelector.values().stream().anyMatch(e -> e.name().equals(name));
  }

  /**
   * Decodes revert data.
   *
   * @param revertData 0x-hex revert data (may be null or empty)
   * @param context what was being done, for the message
   * @return the typed exception (name {@link L1RevertException#UNKNOWN} if nothing matches)
   */
  public L1RevertException decode(String revertData, String context) {
    String data = revertData == null ? "0x" : revertData.toLowerCase(java.util.Locale.ROOT);
    if (data.length() < 10) {
      return new L1RevertException(L1RevertException.UNKNOWN, List.of(), data, context);
    }
    String selector = data.substring(0, 10);
    String body = "0x" + data.substring(10);
    if (selector.equals(ERROR_STRING_SELECTOR)) {
      return new L1RevertException("Error", decodeArgs(body, List.of("string")), data, context);
    }
    ErrorAbi e = bySelector.get(selector);
    if (e == null) {
      return new L1RevertException(L1RevertException.UNKNOWN, List.of(), data, context);
    }
    return new L1RevertException(e.name(), decodeArgs(body, e.types()), data, context);
  }

  // web3j's decoder is declared over the raw Type.
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Object> decodeArgs(String body, List<String> types) {
    if (types.isEmpty()) {
      return List.of();
    }
    try {
      List<TypeReference<Type>> refs = new ArrayList<>();
      for (String t : types) {
        refs.add((TypeReference<Type>) (TypeReference<?>) TypeReference.makeTypeReference(t));
      }
      List<Type> values = FunctionReturnDecoder.decode(body, refs);
      List<Object> out = new ArrayList<>();
      for (Type v : values) {
        Object o = v.getValue();
        out.add(o instanceof byte[] b ? Numeric.toHexString(b) : o);
      }
      return out;
    } catch (ClassNotFoundException | RuntimeException e) {
      return List.of(body);
    }
  }
}
