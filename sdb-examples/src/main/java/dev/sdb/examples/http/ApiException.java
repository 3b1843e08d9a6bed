package dev.sdb.examples.http;

/**
 * A request the API answers with a client error: the status code and a message that is safe to
 * show to the caller (it names the parameter or path, never server internals).
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  private ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  static ApiException methodNotAllowed(String method) {
    return new ApiException(405, "method " + method + " is not allowed; this API is read-only "
        + "(GET)");
  }

  int status() {
    return status;
  }
}
