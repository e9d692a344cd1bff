package io.zkperp.gateway.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The named parameters of one request, checked strictly against the method's {@link ParamSpec}s:
 * params must be a JSON object (or absent when the method has no required parameter); unknown
 * names, missing required names and values of the wrong type are {@link RpcError#INVALID_PARAMS}
 * with a message naming the parameter. Integers are exact: a JSON integer, or a string of decimal
 * digits (for clients whose numbers are doubles); fractions, exponents, values beyond the target
 * range and anything else are errors, never rounded or clamped. Used on the thread that handles the
 * request; not thread-safe.
 */
public final class Params {
  private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]{0,19})");
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private final JsonNode object;

  private Params(JsonNode object) {
    this.object = object;
  }

  /**
   * Checks {@code params} against the specs.
   *
   * @param params the request's params member, or null when absent
   * @param specs the method's parameters
   * @return the checked parameters
   * @throws RpcException INVALID_PARAMS if they do not match
   */
  public static Params of(JsonNode params, List<ParamSpec> specs) {
    JsonNode object = params;
    if (object == null || object.isNull()) {
      object = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    } else if (object.isArray() && object.isEmpty()) {
      object = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    } else if (!object.isObject()) {
      throw invalid("params must be an object of named parameters");
    }
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String name = field.getKey();
      if (!named(specs, name)) {
        throw invalid(
            "unknown parameter \""
                + truncate(name)
                + "\"; accepted: "
                + specs.stream().map(ParamSpec::name).toList());
      }
    }
    for (ParamSpec s : specs) {
      // a missing read grant is the method's to refuse (READ_AUTH_REQUIRED), not a shape error
      if (s.required() && !object.has(s.name()) && !s.name().equals(ParamSpec.AUTH)) {
        throw invalid("missing required parameter \"" + s.name() + "\"");
      }
    }
    return new Params(object);
  }

  private static boolean named(List<ParamSpec> specs, String name) {
    for (int i = 0; i < specs.size(); i++) { // no stream: this runs for every parameter of a call
      if (specs.get(i).name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * An object parameter, its members checked against {@code members} as strictly as a method's
   * parameters (unknown or missing names are {@link RpcError#INVALID_PARAMS}).
   *
   * @param name the parameter
   * @param members the object's member specs
   * @return the object's members
   * @throws RpcException INVALID_PARAMS if absent, not an object, or its members do not match
   */
  public Params object(String name, List<ParamSpec> members) {
    JsonNode n = object.get(name);
    if (n == null || n.isNull()) {
      throw invalid("missing required parameter \"" + name + "\"");
    }
    if (!n.isObject()) {
      throw invalid("parameter \"" + name + "\" must be an object, got " + describe(n));
    }
    for (Map.Entry<String, JsonNode> field : n.properties()) {
      if (!named(members, field.getKey())) {
        throw invalid(
            "unknown member \""
                + truncate(field.getKey())
                + "\" of \""
                + name
                + "\"; accepted: "
                + members.stream().map(ParamSpec::name).toList());
      }
    }
    for (ParamSpec s : members) {
      if (s.required() && !n.has(s.name())) {
        throw invalid("missing member \"" + s.name() + "\" of parameter \"" + name + "\"");
      }
    }
    return new Params(n);
  }

  /**
   * Whether a parameter is present (and not JSON null).
   *
   * @param name the parameter
   * @return true if present
   */
  public boolean has(String name) {
    JsonNode n = object.get(name);
    return n != null && !n.isNull();
  }

  /**
   * A 64-bit integer parameter within [min, max].
   *
   * @param name the parameter
   * @param min the smallest accepted value
   * @param max the largest accepted value
   * @return the value
   */
  public long longValue(String name, long min, long max) {
    JsonNode n = object.get(name);
    if (n == null || n.isNull()) {
      throw invalid("missing required parameter \"" + name + "\"");
    }
    if (n.isInt() || n.isLong()) { // fits a long: no BigInteger
      long v = n.longValue();
      if (v < min || v > max) {
        throw invalid("parameter \"" + name + "\" must be in [" + min + ", " + max + "], got " + v);
      }
      return v;
    }
    BigInteger v;
    if (n.isIntegralNumber()) {
      v = n.bigIntegerValue();
    } else if (n.isTextual() && DECIMAL.matcher(n.textValue()).matches()) {
      v = new BigInteger(n.textValue());
    } else {
      throw invalid(
          "parameter \""
              + name
              + "\" must be an integer (a JSON integer or a string of decimal digits), got "
              + describe(n));
    }
    if (v.compareTo(LONG_MIN) < 0
        || v.compareTo(LONG_MAX) > 0
        || v.longValue() < min
        || v.longValue() > max) {
      throw invalid(
          "parameter \"" + name + "\" must be in [" + min + ", " + max + "], got " + truncate(v));
    }
    return v.longValue();
  }

  /**
   * An optional 64-bit integer parameter.
   *
   * @param name the parameter
   * @param min the smallest accepted value
   * @param max the largest accepted value
   * @param absent the value when absent
   * @return the value
   */
  public long longValue(String name, long min, long max, long absent) {
    return has(name) ? longValue(name, min, max) : absent;
  }

  /**
   * A string enum parameter.
   *
   * @param type the enum type
   * @param name the parameter
   * @param absent the value when absent (null: required)
   * @param <E> the enum type
   * @return the constant whose name equals the string exactly
   */
  public <E extends Enum<E>> E enumValue(Class<E> type, String name, E absent) {
    JsonNode n = object.get(name);
    if (n == null || n.isNull()) {
      if (absent != null) {
        return absent;
      }
      throw invalid("missing required parameter \"" + name + "\"");
    }
    if (n.isTextual()) {
      try {
        return Enum.valueOf(type, n.textValue()); // exact name; no copy of the constants
      } catch (IllegalArgumentException notAConstant) {
        // reported below with the accepted names
      }
    }
    StringBuilder accepted = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      accepted.append(accepted.isEmpty() ? "" : ", ").append(e.name());
    }
    throw invalid("parameter \"" + name + "\" must be one of " + accepted + ", got " + describe(n));
  }

  /**
   * An optional string parameter (a JSON string of at most 100 characters).
   *
   * @param name the parameter
   * @param absent the value when absent
   * @return the value
   */
  public String stringValue(String name, String absent) {
    JsonNode n = object.get(name);
    if (n == null || n.isNull()) {
      return absent;
    }
    if (!n.isTextual() || n.textValue().length() > 100) {
      throw invalid(
          "parameter \""
              + name
              + "\" must be a string of at most 100 characters, got "
              + describe(n));
    }
    return n.textValue();
  }

  /**
   * An optional boolean parameter (JSON true or false only).
   *
   * @param name the parameter
   * @param absent the value when absent
   * @return the value
   */
  public boolean booleanValue(String name, boolean absent) {
    JsonNode n = object.get(name);
    if (n == null || n.isNull()) {
      return absent;
    }
    if (!n.isBoolean()) {
      throw invalid("parameter \"" + name + "\" must be true or false, got " + describe(n));
    }
    return n.booleanValue();
  }

  /**
   * A byte string parameter: "0x" then exactly {@code 2 · length} hex digits.
   *
   * @param name the parameter
   * @param length the number of bytes
   * @return the bytes
   */
  public byte[] hexBytes(String name, int length) {
    JsonNode n = object.get(name);
    if (n == null || n.isNull()) {
      throw invalid("missing required parameter \"" + name + "\"");
    }
    String s = n.isTextual() ? n.textValue() : null;
    if (s == null
        || s.length() != 2 + 2 * length
        || !s.startsWith("0x")
        || !s.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw invalid(
          "parameter \""
              + name
              + "\" must be \"0x\" followed by "
              + 2 * length
              + " hex digits ("
              + length
              + " bytes), got "
              + describe(n));
    }
    return HexFormat.of().parseHex(s, 2, s.length());
  }

  private static RpcException invalid(String message) {
    return new RpcException(RpcError.INVALID_PARAMS, message);
  }

  private static String describe(JsonNode n) {
    JsonNodeType t = n.getNodeType();
    String text = n.toString();
    return t.name().toLowerCase(java.util.Locale.ROOT) + " " + truncate(text);
  }

  private static String truncate(Object o) {
    String s = String.valueOf(o);
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
