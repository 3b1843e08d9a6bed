package dev.sdb;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/** Converts between SDB's row maps and the caller's records and POJOs, through Jackson. */
final class EntityMapper {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private EntityMapper() {}

  static <T> T toType(Map<String, ?> row, Class<T> type) {
    try {
      return MAPPER.convertValue(row, type);
    } catch (IllegalArgumentException e) {
      throw new SdbException("cannot map " + row + " to " + type.getName() + ": "
          + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> toMap(Object entity) {
    try {
      return MAPPER.convertValue(entity, Map.class);
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException("cannot read the properties of " + entity.getClass()
          .getName() + " " + entity + ": " + e.getMessage(), e);
    }
  }
}
