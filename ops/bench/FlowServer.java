import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local call-flow webhook of ops/bench/cps.sh: answers every request (GET or POST, any path) with the XML in a
 * file, on 127.0.0.1. Run with the JDK's source launcher: {@code java ops/bench/FlowServer.java <port> <flow.xml>}.
 * Prints the number of requests served when stopped.
 */
public final class FlowServer {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    byte[] xml = Files.readAllBytes(Path.of(args[1]));
    AtomicLong served = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", "application/xml");
      exchange.sendResponseHeaders(200, xml.length);
      exchange.getResponseBody().write(xml);
      exchange.close();
      served.incrementAndGet();
    });
    server.setExecutor(Executors.newFixedThreadPool(8));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("flow server: " + served.get() + " requests")));
    server.start();
    System.out.println("flow server listening on 127.0.0.1:" + port);
  }
}
