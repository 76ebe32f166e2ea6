package io.openvoice.api;

import java.util.Map;

/** An API error: rendered as {@code {success:false, message, status, fields?}} with that HTTP status. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  public final int status;
  /** Field at fault → {message, value}; empty when the error is not about one field. */
  public final Map<String, Map<String, Object>> fields;

  public ApiException(int status, String message) {
    this(status, message, Map.of());
  }

  public ApiException(int status, String message, Map<String, Map<String, Object>> fields) {
    super(message);
    this.status = status;
    this.fields = fields;
  }

  public static ApiException badField(String field, String message, Object value) {
    java.util.Map<String, Object> detail = new java.util.LinkedHashMap<>();
    detail.put("message", message);
    detail.put("value", value);
    return new ApiException(400, field + ": " + message, Map.of(field, detail));
  }

  public static ApiException notFound() {
    return new ApiException(404, "Not found");
  }
}
