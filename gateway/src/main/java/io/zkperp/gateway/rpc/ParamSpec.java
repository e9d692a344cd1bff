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
 * @param members the members of an object parameter, or an empty list
 */
public record ParamSpec(
    String name,
    String type,
    boolean required,
    String description,
    List<String> enumValues,
    List<ParamSpec> members) {

  /**
   * The name of the read-grant parameter of the methods that read private account data. {@link
   * Params#of} leaves its absence to the method, which refuses it with {@link
   * RpcError#READ_AUTH_REQUIRED} rather than {@link RpcError#INVALID_PARAMS} (and lets the
   * insurance fund's public account through).
   */
  public static final String AUTH = "auth";

  /**
   * A parameter that is not an object.
   *
   * @param name the parameter name
   * @param type the JSON schema type
   * @param required whether it must be present
   * @param description what it means
   * @param enumValues the accepted values of a string enum, or an empty list
   */
  public ParamSpec(
      String name, String type, boolean required, String description, List<String> enumValues) {
    this(name, type, required, description, enumValues, List.of());
  }

  /**
   * An object parameter whose members are checked as strictly as a method's parameters ({@link
   * Params#object}).
   *
   * @param name the name
   * @param required whether it must be present
   * @param description the description
   * @param members the members
   * @return the spec
   */
  public static ParamSpec object(
      String name, boolean required, String description, List<ParamSpec> members) {
    return new ParamSpec(name, "object", required, description, List.of(), List.copyOf(members));
  }

  /**
   * The read grant {@code auth} = {@code {account, validUntil, signature}} of the methods that read
   * private account data (docs/state-layout.md, "Signed messages": an account read grant).
   *
   * @param required whether the method always needs it (else only some of its uses do)
   * @param description when it is needed
   * @return the spec
   */
  public static ParamSpec readGrant(boolean required, String description) {
    return object(
        AUTH,
        required,
        description
            + " A read grant: {account, validUntil, signature}, the EdDSA signature by the"
            + " account's key of H(D_read-grant, account (32) ‖ validUntil (64)) in this node's"
            + " domain (perp_getDomain). Accepted while the gateway's clock is before validUntil"
            + " and validUntil is at most 86400 s (24 h) ahead; reuse one grant for every read"
            + " until it nears expiry. The insurance fund's account (16777215) is public and"
            + " needs none.",
        List.of(
            integer("account", "the account the grant is for: the account asked about"),
            integer("validUntil", "unix seconds; after the gateway's clock, at most 24 h ahead"),
            string("signature", "0x + 128 hex digits: the account key's signature of the grant")));
  }

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
