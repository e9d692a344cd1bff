/**
 * Typed errors for refused encodings: {@link io.zkperp.protocol.encoding.InvalidEncodingException}
 * carries an {@link io.zkperp.protocol.encoding.EncodingError} code and a message that says what
 * was received and what would be accepted. Parsing is all-or-nothing.
 */
package io.zkperp.protocol.encoding;
