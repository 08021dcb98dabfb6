package dev.vigil.workloads.jetty;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET /hello}, {@code GET /sum?n=N} (a little CPU work), {@code POST /echo} (reads the body,
 * blocking, on the worker thread), {@code GET /stats}; and the planted bugs when they are on.
 */
final class Routes extends Handler.Abstract {

    private final JettyService.Ticker ticker;
    private final PlantedBugs bugs;
    private final AtomicLong served = new AtomicLong();

    Routes(JettyService.Ticker ticker, PlantedBugs bugs) {
        this.ticker = ticker;
        this.bugs = bugs;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        served.incrementAndGet();
        String body;
        if (method.equals("GET") && path.equals("/hello")) {
            body = "hello";
        } else if (method.equals("GET") && path.equals("/sum")) {
            Fields query = Request.extractQueryParameters(request);
            String n = query.getValue("n");
            body = Long.toString(sumOfSquares(Math.min(1_000_000, n == null ? 1_000 : Integer.parseInt(n))));
        } else if (method.equals("POST") && path.equals("/echo")) {
            body = Content.Source.asString(request, StandardCharsets.UTF_8);
        } else if (method.equals("GET") && path.equals("/stats")) {
            body = "{\"served\":" + served.get() + ",\"ticks\":" + ticker.ticks() + "}";
        } else if (bugs != null && path.startsWith("/bugs/")) {
            body = bugs.serve(path);
        } else {
            body = null;
        }
        if (body == null) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            return true;
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, body, callback);
        return true;
    }

    private static long sumOfSquares(int n) {
        long sum = 0;
        for (long i = 1; i <= n; i++) {
            sum += i * i;
        }
        return sum;
    }
}
