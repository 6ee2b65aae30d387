package cdna.cli;

import cdna.check.ModelChecker;
import cdna.check.PropertyResult;
import cdna.check.TlcRunner;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What a long command shows while it works.  Human mode writes to stderr: the
 * rounds of each model and, while TLC runs, the model, distinct states, queue
 * and states per second at least every {@link #EVERY_SECONDS} seconds.  JSON
 * mode writes one object per line to stdout (events "message", "progress",
 * "verdict", and the command's own last event).  Quiet mode writes nothing.
 */
final class Progress implements ModelChecker.Listener {
    enum Mode { HUMAN, JSON, QUIET }

    static final double EVERY_SECONDS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Mode mode;
    private final PrintStream err;
    private final PrintStream out;
    private final java.util.Map<String, Long> lastShown = new java.util.HashMap<>();

    Progress(Mode mode, PrintStream out, PrintStream err) {
        this.mode = mode;
        this.out = out;
        this.err = err;
    }

    Mode mode() { return mode; }

    @Override
    public synchronized void message(String text) {
        if (mode == Mode.HUMAN) err.println("  " + text);
        else if (mode == Mode.JSON) emit(JSON.createObjectNode().put("event", "message").put("text", text));
    }

    @Override
    public synchronized void progress(String model, TlcRunner.Progress p) {
        long now = System.nanoTime();
        if (mode == Mode.QUIET) return;
        if (mode == Mode.JSON) {
            emit(JSON.createObjectNode().put("event", "progress").put("model", model).put("seconds", Math.round(p.seconds()))
                    .put("generated", p.generated()).put("distinct", p.distinct()).put("queue", p.queue())
                    .put("statesPerSecond", Math.round(p.statesPerSecond())));
            return;
        }
        Long last = lastShown.get(model);
        if (last != null && now - last < EVERY_SECONDS * 1e9) return;
        lastShown.put(model, now);
        err.printf(Locale.ROOT, "  %s: %,d distinct states, %,d on the queue, %,.0f states/s, %.0f s%n", model, p.distinct(),
                p.queue(), p.statesPerSecond(), p.seconds());
    }

    synchronized void verdict(PropertyResult r) {
        if (mode == Mode.HUMAN) {
            err.printf(Locale.ROOT, "  %s %s: %s%s%n", r.model(), r.property(), r.verdict(),
                    r.expected() == null || r.asExpected() ? "" : "  (MISMATCH: expected " + r.expected()
                            + (r.message() == null ? "" : "; " + r.message()) + ")");
        } else if (mode == Mode.JSON) {
            ObjectNode o = JSON.createObjectNode().put("event", "verdict").put("model", r.model()).put("property", r.property())
                    .put("verdict", r.verdict()).put("distinctStates", r.distinctStates()).put("seconds", r.seconds());
            if (r.expected() != null) o.put("expected", r.expected());
            if (r.trace() != null) o.put("trace", r.trace());
            if (r.javaReplay() != null) o.put("javaReplay", r.javaReplay());
            emit(o);
        }
    }

    synchronized void emit(ObjectNode o) {
        if (mode != Mode.JSON) return;
        try {
            out.println(JSON.writeValueAsString(o));
            out.flush();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode event(String name) {
        return JSON.createObjectNode().put("event", name);
    }
}
