package dev.sdb.examples.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sdb.InvalidValueException;
import dev.sdb.UnknownPropertyException;
import dev.sdb.sql.SdbReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP read API on the JDK's built-in server: JSON over GET, read straight from the
 * database through a thread-safe {@link SdbReader}. It never calls the engine ({@code Sdb} is
 * single-writer); {@code /status} shows a {@link NodeStatus} the writer publishes.
 *
 * {@snippet :
 * try (HttpApi api = HttpApi.start(store.reader(), () -> status, new InetSocketAddress(8080))) {
 *   System.out.println("serving " + api.uri());
 *   ...
 * }
 * }
 *
 * <p><b>Answers.</b> 200 with the JSON body; 400 {@code {"error": "..."}} for a bad parameter
 * (named in the message); 404 for an unknown account, block or path; 405 for anything but GET and HEAD; 500
 * {@code {"error": "internal error"}} for anything else, with the exception logged on the server
 * and never sent to the client. Big integers are written as decimal strings, so no JSON reader
 * loses precision; JSON columns are embedded as JSON.
 *
 * <p><b>Threads.</b> Requests run on a fixed pool of {@code threads} daemon threads; the reader's
 * connection pool bounds how many reach the database at once. At most {@value #QUEUED_REQUESTS}
 * requests wait for a thread; beyond that the server accepts new connections only as it answers.
 *
 * @see Endpoints the routes
 */
public final class HttpApi implements AutoCloseable {
  /** Request threads when none are given; matches the store's default read pool. */
  public static final int DEFAULT_THREADS = 4;

  /** Requests that may wait for a thread before the server stops accepting new ones. */
  static final int QUEUED_REQUESTS = 256;

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final byte[] INTERNAL_ERROR =
      "{\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final ExecutorService threads;
  private final Endpoints endpoints;
  private final ObjectMapper json;

  private HttpApi(HttpServer server, ExecutorService threads, SdbReader reader,
      Supplier<NodeStatus> status) {
    this.server = server;
    this.threads = threads;
    this.json = JsonMapper.builder()
        .addModule(new SimpleModule("big-integers-as-strings")
            .addSerializer(BigInteger.class, ToStringSerializer.instance))
        .build();
    this.endpoints = new Endpoints(reader, status, json);
  }

  /** Starts the API with {@link #DEFAULT_THREADS} request threads. */
  public static HttpApi start(SdbReader reader, Supplier<NodeStatus> status,
      InetSocketAddress address) {
    return start(reader, status, address, DEFAULT_THREADS);
  }

  /**
   * Binds {@code address} (port 0 picks a free port; see {@link #address()}) and starts serving.
   *
   * @param status called on request threads; must be thread-safe and must not call the engine
   * @throws UncheckedIOException if the address cannot be bound
   */
  public static HttpApi start(SdbReader reader, Supplier<NodeStatus> status,
      InetSocketAddress address, int threads) {
    Objects.requireNonNull(reader, "reader");
    Objects.requireNonNull(status, "status");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive: " + threads);
    }
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
    AtomicInteger n = new AtomicInteger();
    // A bounded queue: when it is full, the server's own thread answers the next request, which
    // stops it accepting more meanwhile, so a flood waits in the kernel instead of in the heap.
    ExecutorService pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUED_REQUESTS), r -> {
          Thread t = new Thread(r, "http-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    HttpApi api = new HttpApi(server, pool, reader, status);
    server.createContext("/", api::handle);
    server.setExecutor(pool);
    server.start();
    return api;
  }

  /** The bound address, with the real port when 0 was asked for. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** {@code http://host:port}, for printing and for clients. */
  public URI uri() {
    InetSocketAddress a = address();
    String host = a.getAddress().isAnyLocalAddress() ? "localhost"
        : a.getAddress().getHostAddress();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
        + a.getPort());
  }

  /** Stops accepting requests, lets running ones finish (up to one second) and stops the threads. */
  @Override
  public void close() {
    server.stop(1);
    threads.shutdown();
    try {
      if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      threads.shutdownNow();
    }
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      boolean head = exchange.getRequestMethod().equals("HEAD"); // GET's headers, no body
      int status;
      byte[] body;
      try {
        if (!exchange.getRequestMethod().equals("GET") && !head) {
          exchange.getResponseHeaders().set("Allow", "GET, HEAD");
          throw ApiException.methodNotAllowed(exchange.getRequestMethod());
        }
        body = json.writeValueAsBytes(endpoints.get(uri.getRawPath(), uri.getRawQuery()));
        status = 200;
      } catch (ApiException e) {
        status = e.status();
        body = error(e.getMessage());
      } catch (InvalidValueException | UnknownPropertyException e) {
        // a value the reader could not convert to the column's type: the caller's mistake
        status = 400;
        body = error(e.getMessage());
      } catch (RuntimeException | JsonProcessingException e) {
        LOG.error("GET {} failed", uri, e);
        status = 500;
        body = INTERNAL_ERROR;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      if (head) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException e) {
      LOG.debug("could not answer {}: the client went away", exchange.getRequestURI(), e);
    }
  }

  private byte[] error(String message) {
    try {
      return json.writeValueAsBytes(Map.of("error", message));
    } catch (JsonProcessingException e) {
      return INTERNAL_ERROR;
    }
  }
}
