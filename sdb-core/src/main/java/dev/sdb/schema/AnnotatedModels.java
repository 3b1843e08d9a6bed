package dev.sdb.schema;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Reads {@link Model}-annotated records and classes into {@link ModelSchema}s. */
final class AnnotatedModels {
  private AnnotatedModels() {}

  static ModelSchema schemaOf(Class<?> type) {
    Model model = type.getAnnotation(Model.class);
    if (model == null) {
      throw new SchemaException(type.getName() + " is not annotated with @Model");
    }
    String name = model.name().isEmpty() ? type.getSimpleName() : model.name();
    ModelSchema.Builder b = ModelSchema.builder(name);
    if (!model.table().isEmpty()) {
      b.table(model.table());
    }
    if (model.memory()) {
      b.memory();
    }
    if (model.maxCached() != 0) {
      b.maxCached(model.maxCached());
    }
    List<String> primaryKey = new ArrayList<>();
    for (Member m : members(type)) {
      if (m.name.equals(Column.VERSION)) {
        continue; // receives the built-in version column when mapping back
      }
      Property p = m.element.getAnnotation(Property.class);
      ColumnType columnType = columnType(name, m, p);
      if (columnType == ColumnType.STRING) {
        b.string(m.name, p != null ? p.maxLength() : ModelSchema.DEFAULT_STRING_LENGTH);
      } else {
        b.column(m.name, columnType);
      }
      if (p != null && p.nullable()) {
        b.nullable();
      }
      if (p != null && !p.defaultValue().equals(Property.NO_DEFAULT)) {
        b.defaultValue(parseDefault(name, m.name, columnType, p.defaultValue()));
      }
      if (m.element.isAnnotationPresent(Id.class)) {
        primaryKey.add(m.name);
      }
      if (m.element.isAnnotationPresent(Unique.class)) {
        b.unique();
      }
      if (m.element.isAnnotationPresent(Indexed.class)) {
        b.indexed();
      }
    }
    if (primaryKey.isEmpty()) {
      throw new SchemaException(name + ": no column is annotated with @Id");
    }
    b.primaryKey(primaryKey.toArray(String[]::new));
    for (Model.Columns uk : model.uniqueKeys()) {
      b.uniqueKey(uk.value());
    }
    for (Model.Columns ix : model.indexes()) {
      b.index(ix.value());
    }
    return b.build();
  }

  private record Member(String name, Class<?> type, AnnotatedElement element) {}

  private static List<Member> members(Class<?> type) {
    List<Member> members = new ArrayList<>();
    if (type.isRecord()) {
      for (RecordComponent rc : type.getRecordComponents()) {
        members.add(new Member(rc.getName(), rc.getType(), rc));
      }
    } else {
      for (Field f : type.getDeclaredFields()) {
        int mod = f.getModifiers();
        if (!Modifier.isStatic(mod) && !Modifier.isTransient(mod) && !f.isSynthetic()) {
          members.add(new Member(f.getName(), f.getType(), f));
        }
      }
    }
    return members;
  }

  private static ColumnType columnType(String model, Member m, Property p) {
    Class<?> t = m.type;
    if (p != null && p.json()) {
      if (t != String.class) {
        throw new SchemaException(model + "." + m.name + ": @Property(json = true) needs a String");
      }
      return ColumnType.JSON;
    }
    if (t == String.class) {
      return ColumnType.STRING;
    }
    if (t == int.class || t == Integer.class) {
      return ColumnType.INT;
    }
    if (t == long.class || t == Long.class) {
      return ColumnType.LONG;
    }
    if (t == BigInteger.class) {
      return ColumnType.BIG_INTEGER;
    }
    if (t == boolean.class || t == Boolean.class) {
      return ColumnType.BOOLEAN;
    }
    if (t == byte[].class) {
      return ColumnType.BYTES;
    }
    throw new SchemaException(model + "." + m.name + ": unsupported Java type " + t.getName()
        + " (use String, int, long, BigInteger, boolean, byte[] or a JSON String)");
  }

  private static Object parseDefault(String model, String column, ColumnType type, String text) {
    try {
      return switch (type) {
        case STRING, JSON -> text;
        case INT -> Integer.parseInt(text);
        case LONG -> Long.parseLong(text);
        case BIG_INTEGER -> new BigInteger(text);
        case BOOLEAN -> {
          if (!text.equals("true") && !text.equals("false")) {
            throw new NumberFormatException("expected true or false");
          }
          yield Boolean.parseBoolean(text);
        }
        case BYTES -> throw new NumberFormatException("byte[] columns cannot have a default");
      };
    } catch (NumberFormatException e) {
      throw new SchemaException(
          model + "." + column + ": bad default '" + text + "': " + e.getMessage());
    }
  }
}
