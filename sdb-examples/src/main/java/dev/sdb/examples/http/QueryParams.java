package dev.sdb.examples.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The decoded query string of one request. Unknown and repeated parameters are rejected, so a
 * misspelt {@code senderid=} is a 400 rather than a silently unfiltered list.
 */
final class QueryParams {
  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses {@code rawQuery} (still percent-encoded; may be null) and checks that it holds only
   * {@code allowed} names.
   */
  static QueryParams parse(@Nullable String rawQuery, List<String> allowed) {
    Map<String, String> values = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
        if (!allowed.contains(name)) {
          throw ApiException.badRequest("unknown parameter '" + name + "'; allowed: "
              + (allowed.isEmpty() ? "none" : String.join(", ", allowed)));
        }
        if (values.put(name, value) != null) {
          throw ApiException.badRequest("parameter '" + name + "' is given more than once");
        }
      }
    }
    return new QueryParams(values);
  }

  /** The parameter, or null when it is absent or empty. */
  @Nullable String string(String name) {
    String v = values.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** An integer parameter in {@code [min, max]}, or {@code fallback} when absent. */
  int intValue(String name, int fallback, int min, int max) {
    String v = string(name);
    if (v == null) {
      return fallback;
    }
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be an integer between " + min + " and " + max
          + ", got '" + v + "'");
    }
    if (n < min || n > max) {
      throw ApiException.badRequest(name + " must be between " + min + " and " + max + ", got "
          + n);
    }
    return n;
  }

  /**
   * Percent-decodes one query or path component. In a query, {@code +} means a space; in a path it
   * is a plus sign. No address, id or name holds a control character, so one (a NUL, say) is a bad
   * request here, the same on every database.
   */
  static String decode(String component, boolean query) {
    String decoded;
    try {
      decoded = URLDecoder.decode(query ? component : component.replace("+", "%2B"),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("malformed percent-encoding in '" + component + "'");
    }
    if (decoded.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw ApiException.badRequest("control character in '" + component + "'");
    }
    return decoded;
  }
}
