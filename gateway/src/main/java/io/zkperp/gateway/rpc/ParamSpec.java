package io.zkperp.gateway.rpc;

import java.util.List;

/**
 * One named parameter of a method, as listed in the OpenRPC document and enforced by {@link
 * Params}: unknown names and missing required names are {@link RpcError#INVALID_PARAMS}. Immutable;
 * any thread.
 *
 * @param name the parameter name
 * @param type the JSON schema type ("integer", "string", "boolean")
 * @param required whether it must be present
 * @param description what it means, with units
 * @param enumValues the accepted values of a string enum, or an empty list
 */
public record ParamSpec(
    String name, String type, boolean required, String description, List<String> enumValues) {

  /**
   * A required 64-bit integer (a JSON integer, or a decimal string of one).
   *
   * @param name the name
   * @param description the description
   * @return the spec
   */
  public static ParamSpec integer(String name, String description) {
    return new ParamSpec(name, "integer", true, description, List.of());
  }

  /**
   * An optional 64-bit integer.
   *
   * @param name the name
   * @param description the description
   * @return the spec
   */
  public static ParamSpec optionalInteger(String name, String description) {
    return new ParamSpec(name, "integer", false, description, List.of());
  }

  /**
   * A required string.
   *
   * @param name the name
   * @param description the description
   * @return the spec
   */
  public static ParamSpec string(String name, String description) {
    return new ParamSpec(name, "string", true, description, List.of());
  }

  /**
   * An optional string.
   *
   * @param name the name
   * @param description the description
   * @return the spec
   */
  public static ParamSpec optionalString(String name, String description) {
    return new ParamSpec(name, "string", false, description, List.of());
  }

  /**
   * A string enum (required or not).
   *
   * @param name the name
   * @param required whether it must be present
   * @param description the description
   * @param values the accepted values
   * @return the spec
   */
  public static ParamSpec enumeration(
      String name, boolean required, String description, List<String> values) {
    return new ParamSpec(name, "string", required, description, List.copyOf(values));
  }

  /**
   * An optional boolean.
   *
   * @param name the name
   * @param description the description
   * @return the spec
   */
  public static ParamSpec optionalBoolean(String name, String description) {
    return new ParamSpec(name, "boolean", false, description, List.of());
  }
}
