package dev.sdb.examples.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sdb.BlockHeader;
import dev.sdb.ChangeSet;
import dev.sdb.schema.Column;
import dev.sdb.schema.ColumnType;
import dev.sdb.schema.ModelSchema;
import dev.sdb.sql.Query;
import dev.sdb.sql.SdbReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The read API's routes, each one or two {@link SdbReader} calls. Every method returns the body of
 * a 200 answer (a map or list that Jackson writes) or throws {@link ApiException} for a 400/404.
 * Request strings reach the database only as bound values of a {@link Query} condition.
 *
 * <pre>
 * GET /accounts/{address}
 * GET /transfers?senderId=&amp;recipientId=&amp;limit=20&amp;offset=0   newest first (height, tid)
 * GET /blocks/{height}
 * GET /blocks/{height}/changes                                the block's deltas (delta JSON)
 * GET /blocks/by-id/{id}
 * GET /blocks/latest?limit=10                                 newest first
 * GET /status                                                 from the writer's last snapshot
 * </pre>
 */
final class Endpoints {
  static final String ACCOUNT = "Account";
  static final String TRANSFER = "Transfer";
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;
  static final int DEFAULT_BLOCKS = 10;

  private static final List<String> NO_PARAMS = List.of();
  private static final List<String> ROUTES = List.of("/accounts/{address}",
      "/transfers?senderId=&recipientId=&limit=&offset=", "/blocks/{height}",
      "/blocks/{height}/changes", "/blocks/by-id/{id}", "/blocks/latest?limit=", "/status");

  private final SdbReader reader;
  private final Supplier<NodeStatus> status;
  private final ObjectMapper json;
  private final ModelSchema account;
  private final ModelSchema transfer;

  Endpoints(SdbReader reader, Supplier<NodeStatus> status, ObjectMapper json) {
    this.reader = reader;
    this.status = status;
    this.json = json;
    this.account = model(reader, ACCOUNT);
    this.transfer = model(reader, TRANSFER);
  }

  private static ModelSchema model(SdbReader reader, String name) {
    ModelSchema m = reader.schema().model(name);
    if (m == null) {
      throw new IllegalArgumentException("the read API needs a model named " + name
          + "; the reader's schema has " + reader.schema().models().stream()
          .map(ModelSchema::name).toList());
    }
    return m;
  }

  /** Answers {@code GET rawPath?rawQuery}. */
  Object get(String rawPath, @Nullable String rawQuery) {
    List<String> path = segments(rawPath);
    String first = path.isEmpty() ? "" : path.get(0);
    switch (first) {
      case "" -> {
        QueryParams.parse(rawQuery, NO_PARAMS);
        return Map.of("endpoints", ROUTES);
      }
      case "accounts" -> {
        if (path.size() == 2) {
          QueryParams.parse(rawQuery, NO_PARAMS);
          return account(path.get(1));
        }
      }
      case "transfers" -> {
        if (path.size() == 1) {
          return transfers(QueryParams.parse(rawQuery,
              List.of("senderId", "recipientId", "limit", "offset")));
        }
      }
      case "blocks" -> {
        if (path.size() == 2 && path.get(1).equals("latest")) {
          return latestBlocks(QueryParams.parse(rawQuery, List.of("limit")));
        }
        if (path.size() == 3 && path.get(1).equals("by-id")) {
          QueryParams.parse(rawQuery, NO_PARAMS);
          return blockById(path.get(2));
        }
        if (path.size() == 2) {
          QueryParams.parse(rawQuery, NO_PARAMS);
          return blockByHeight(path.get(1));
        }
        if (path.size() == 3 && path.get(2).equals("changes")) {
          QueryParams.parse(rawQuery, NO_PARAMS);
          return changes(path.get(1));
        }
      }
      case "status" -> {
        if (path.size() == 1) {
          QueryParams.parse(rawQuery, NO_PARAMS);
          return status.get();
        }
      }
      default -> {
        // falls through to the 404 below
      }
    }
    throw ApiException.notFound("no such resource: " + rawPath + "; the API has " + ROUTES);
  }

  private Map<String, Object> account(String address) {
    return reader.findOne(ACCOUNT, Map.of("address", address))
        .map(row -> toJson(account, row))
        .orElseThrow(() -> ApiException.notFound("account " + address + " not found"));
  }

  private Map<String, Object> transfers(QueryParams params) {
    int limit = params.intValue("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    int offset = params.intValue("offset", 0, 0, Integer.MAX_VALUE - MAX_LIMIT - 1);
    Map<String, Object> condition = new LinkedHashMap<>();
    String sender = params.string("senderId");
    String recipient = params.string("recipientId");
    if (sender != null) {
      condition.put("senderId", sender);
    }
    if (recipient != null) {
      condition.put("recipientId", recipient);
    }
    // One row more than asked for says whether there is a next page, without a COUNT(*).
    List<Map<String, Object>> rows = reader.findAll(TRANSFER, Query.where(condition)
        .orderBy("height", Query.Order.DESC).orderBy("tid", Query.Order.DESC)
        .limit(limit + 1).offset(offset));
    boolean more = rows.size() > limit;
    List<Object> page = new ArrayList<>(Math.min(rows.size(), limit));
    for (Map<String, Object> row : more ? rows.subList(0, limit) : rows) {
      page.add(toJson(transfer, row));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("transfers", page);
    body.put("limit", limit);
    body.put("offset", offset);
    body.put("hasMore", more);
    return body;
  }

  private static long height(String text) {
    long height;
    try {
      height = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("block height must be a non-negative integer, got '" + text
          + "'");
    }
    if (height < 0) {
      throw ApiException.badRequest("block height must not be negative, got " + height);
    }
    return height;
  }

  /** A flushed block's change set: its height and its deltas in the public delta JSON. */
  private Map<String, Object> changes(String text) {
    long height = height(text);
    ChangeSet set = reader.changeSet(height).orElseThrow(() -> ApiException.notFound(
        "the changes of block " + height + " are not in the database (not flushed yet, or "
            + "pruned)"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("height", height);
    try {
      body.put("deltas", json.readTree(set.deltasJson()));
    } catch (IOException e) {
      throw new IllegalStateException("SDB's own delta JSON did not parse", e);
    }
    return body;
  }

  private Map<String, Object> blockByHeight(String text) {
    long height = height(text);
    return reader.blockByHeight(height).map(Endpoints::toJson)
        .orElseThrow(() -> ApiException.notFound("block " + height + " not found (the database "
            + "holds flushed blocks only)"));
  }

  private Map<String, Object> blockById(String id) {
    return reader.blockById(id).map(Endpoints::toJson)
        .orElseThrow(() -> ApiException.notFound("block with id " + id + " not found"));
  }

  private Map<String, Object> latestBlocks(QueryParams params) {
    int limit = params.intValue("limit", DEFAULT_BLOCKS, 1, MAX_LIMIT);
    List<Object> blocks = new ArrayList<>(limit);
    BlockHeader last = reader.lastBlock().orElse(null);
    if (last != null) {
      List<BlockHeader> range = reader.blocks(Math.max(0, last.height() - limit + 1),
          last.height());
      for (int i = range.size() - 1; i >= 0; i--) {
        blocks.add(toJson(range.get(i)));
      }
    }
    return Map.of("blocks", blocks);
  }

  static Map<String, Object> toJson(BlockHeader b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("height", b.height());
    m.put("id", b.id());
    m.put("prevBlockId", b.prevBlockId());
    m.put("timestamp", b.timestamp());
    m.put("fields", b.fields());
    return m;
  }

  /** A row as JSON: JSON columns embedded as JSON rather than as strings holding JSON. */
  private Map<String, Object> toJson(ModelSchema model, Map<String, Object> row) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : row.entrySet()) {
      Column c = model.column(e.getKey());
      Object v = e.getValue();
      if (c != null && c.type() == ColumnType.JSON && v instanceof String text) {
        try {
          v = json.readTree(text);
        } catch (IOException notJson) {
          // stored text that is not valid JSON is shown as the string it is
        }
      }
      m.put(e.getKey(), v);
    }
    return Collections.unmodifiableMap(m);
  }

  /** The decoded, non-empty segments of a path: {@code /blocks/by-id/x/} is [blocks, by-id, x]. */
  static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        out.add(QueryParams.decode(s, false));
      }
    }
    return out;
  }
}
