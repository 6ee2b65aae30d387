package cdna.check;

import cdna.trace.TraceState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The interpretation of one TLC run, fail-closed: "no error" needs exit code
 * 0, TLC's own completion message and parsed statistics; a violation needs
 * TLC's message naming it and a trace that parses.  Anything else is an error
 * of a named kind, never a pass.
 */
public record Outcome(Kind kind, String violated, String message, long generated, long distinct, Integer depth,
                      List<TraceState> trace, Integer loopsBackTo, String traceText, List<String> warnings) {

    public Outcome(Kind kind, String violated, String message, long generated, long distinct, Integer depth,
                   List<TraceState> trace, Integer loopsBackTo, String traceText) {
        this(kind, violated, message, generated, distinct, depth, trace, loopsBackTo, traceText, List.of());
    }

    /** TLC's warnings that do not stop a run (a stale PlusCal translation, ...), as it printed them. */
    static List<String> warnings(List<String> lines) {
        List<String> w = new java.util.ArrayList<>();
        for (String l : lines) if (l.startsWith("!! WARNING") || l.startsWith("Warning:")) w.add(l.trim());
        return List.copyOf(w);
    }

    /** This outcome with TLC's warnings attached. */
    Outcome withWarnings(List<String> w) {
        return new Outcome(kind, violated, message, generated, distinct, depth, trace, loopsBackTo, traceText, w);
    }

    public enum Kind {
        NO_ERROR, INVARIANT_VIOLATED, PROPERTY_VIOLATED, DEADLOCK, TIMEOUT, OUT_OF_MEMORY,
        PARSE_ERROR, CONFIG_ERROR, EVALUATION_ERROR, ASSUMPTION_FAILED, CRASH, UNPARSABLE,
        /** A distributed run that cannot count (a worker lost, no completion, a timeout): see {@link DistributedTlc}. */
        INCOMPLETE
    }

    private static final Pattern INVARIANT = Pattern.compile("Invariant (\\w+) is violated");
    private static final Pattern PROPERTY = Pattern.compile("(?:Action p|Temporal p|P)roperty (.*?) is violated");
    private static final Pattern LOCATION = Pattern.compile(
            "line (\\d+), col(?:umn)? (\\d+)(?: to line \\d+, col(?:umn)? \\d+)? (?:of|in) module (\\w+)");

    /**
     * @param modulePath directories to look a module up in, so a location names a file
     */
    public static Outcome of(TlcRunner.Run run, List<Path> modulePath) {
        return interpret(run, modulePath).withWarnings(warnings(run.output()));
    }

    private static Outcome interpret(TlcRunner.Run run, List<Path> modulePath) {
        List<String> lines = run.output();
        String all = String.join("\n", lines);
        TlcOutput out = TlcOutput.parse(lines);
        long[] stats = out.stats();
        long gen = stats == null ? -1 : stats[0];
        long dist = stats == null ? -1 : stats[1];
        Integer depth = out.depth();

        if (run.timedOut()) {
            return fail(Kind.TIMEOUT, "TLC did not finish within its time budget of " + Math.round(run.seconds())
                    + " s and was killed" + (dist >= 0 ? " (" + dist + " distinct states so far)" : ""), gen, dist, depth);
        }
        if (all.contains("OutOfMemoryError") || all.contains("Java heap space") || run.exitCode() == 3) {
            return fail(Kind.OUT_OF_MEMORY, "TLC ran out of memory (exit code " + run.exitCode() + "); see " + run.log(),
                    gen, dist, depth);
        }
        if (run.exitCode() == 150 || all.contains("***Parse Error***") || all.contains("Semantic errors")
                || all.contains("Fatal errors while parsing") || all.contains("Parsing or semantic analysis failed")) {
            return fail(Kind.PARSE_ERROR, located("TLA+ parse or semantic error", all, modulePath, run), gen, dist, depth);
        }
        switch (run.exitCode()) {
            case 12: {
                Matcher m = INVARIANT.matcher(all);
                if (!m.find()) return unparsable(run, "exit code 12 (invariant violated) but no invariant named");
                return violation(Kind.INVARIANT_VIOLATED, m.group(1), out, run, gen, dist, depth);
            }
            case 13: {
                // an action property is named by its location; a liveness violation is not named at all,
                // which is why the checker gives every PROPERTY a run of its own
                Matcher m = PROPERTY.matcher(all);
                if (m.find()) return violation(Kind.PROPERTY_VIOLATED, m.group(1), out, run, gen, dist, depth);
                if (all.contains("Temporal properties were violated")) {
                    return violation(Kind.PROPERTY_VIOLATED, "temporal property", out, run, gen, dist, depth);
                }
                return unparsable(run, "exit code 13 (property violated) but no property named");
            }
            case 11:
                return violation(Kind.DEADLOCK, "Deadlock", out, run, gen, dist, depth);
            case 10:
                return fail(Kind.ASSUMPTION_FAILED, located("an ASSUME is false", all, modulePath, run), gen, dist, depth);
            case 14:
            case 75:
                return fail(Kind.EVALUATION_ERROR, located("TLC could not evaluate the spec", all, modulePath, run),
                        gen, dist, depth);
            case 151:
            case 255:
                if (all.contains("configuration") || all.contains(".cfg") || run.exitCode() == 151) {
                    return fail(Kind.CONFIG_ERROR, located("TLC rejected the configuration", all, modulePath, run),
                            gen, dist, depth);
                }
                return fail(Kind.CRASH, located("TLC stopped with an unexpected exception (exit 255)", all, modulePath, run),
                        gen, dist, depth);
            case 0:
                if (!out.has(TlcOutput.SUCCESS) || stats == null || out.has(TlcOutput.INVARIANT_VIOLATED)) {
                    return unparsable(run, "exit code 0 but TLC's completion message or statistics are missing");
                }
                return new Outcome(Kind.NO_ERROR, null, "no error found", gen, dist, depth, List.of(), null, null);
            default:
                return fail(Kind.CRASH, "TLC exited with code " + run.exitCode() + ": " + tail(lines), gen, dist, depth);
        }
    }

    private static Outcome violation(Kind kind, String name, TlcOutput out, TlcRunner.Run run, long gen, long dist,
                                     Integer depth) {
        List<TraceState> trace;
        try {
            trace = out.trace();
        } catch (TlcOutput.TraceFormatException e) {
            return unparsable(run, "the counterexample trace could not be read: " + e.getMessage());
        }
        if (trace.isEmpty()) {
            return unparsable(run, kind + " " + name + " reported, but TLC printed no trace");
        }
        StringBuilder text = new StringBuilder();
        for (TlcOutput.Message m : out.messages()) {
            if (m.code() == TlcOutput.TRACE_STATE || m.code() == TlcOutput.BACK_TO_STATE
                    || m.code() == TlcOutput.STUTTERING || m.code() == TlcOutput.INVARIANT_VIOLATED
                    || m.code() == TlcOutput.ACTION_PROPERTY_VIOLATED || m.code() == TlcOutput.TEMPORAL_PROPERTY_VIOLATED
                    || m.code() == TlcOutput.INVARIANT_VIOLATED_INITIAL || m.code() == TlcOutput.DEADLOCK
                    || m.code() == TlcOutput.TRACE_BEGINS || m.code() == TlcOutput.LASSO_BEGINS) {
                text.append(m.text()).append('\n');
            }
        }
        return new Outcome(kind, name, kind == Kind.DEADLOCK ? "deadlock reached" : name + " is violated",
                gen, dist, depth == null ? trace.size() : depth, trace, out.loopsBackTo(), text.toString());
    }

    private static Outcome fail(Kind k, String msg, long gen, long dist, Integer depth) {
        return new Outcome(k, null, msg, gen, dist, depth, List.of(), null, null);
    }

    private static Outcome unparsable(TlcRunner.Run run, String why) {
        return fail(Kind.UNPARSABLE, "cannot interpret TLC's output: " + why + " (exit code " + run.exitCode()
                + "; log " + run.log() + ")", -1, -1, null);
    }

    /** The first file:line TLC's output points at, resolved to a file, followed by TLC's words. */
    static String located(String what, String all, List<Path> modulePath, TlcRunner.Run run) {
        Matcher m = LOCATION.matcher(all);
        String where = null;
        if (m.find()) {
            String module = m.group(3);
            Path file = null;
            for (Path dir : modulePath) {
                Path f = dir.resolve(module + ".tla");
                if (Files.exists(f)) { file = f; break; }
            }
            where = (file == null ? module + ".tla" : file.toString()) + ":" + m.group(1) + ":" + m.group(2);
        } else {
            Matcher f = Pattern.compile("(?:file|File) (\\S+\\.(?:tla|cfg))").matcher(all);
            if (f.find()) where = f.group(1);
        }
        String detail = detail(all);
        return (where == null ? "" : where + ": ") + what + (detail.isEmpty() ? "" : ": " + detail)
                + " (exit code " + run.exitCode() + "; log " + run.log() + ")";
    }

    /** The most telling lines of TLC's complaint, without -tool markers and banner. */
    private static String detail(String all) {
        StringBuilder sb = new StringBuilder();
        for (String l : all.split("\n")) {
            String t = l.trim();
            if (t.isEmpty() || t.startsWith("@!@!@") || t.startsWith("TLC2 Version") || t.startsWith("Running ")
                    || t.startsWith("Parsing file") || t.startsWith("Semantic processing") || t.startsWith("Starting")
                    || t.startsWith("SANY finished") || t.startsWith("Finished in") || t.startsWith("Please run the Java VM")
                    || t.startsWith("Computing initial") || t.startsWith("Finished computing")) continue;
            if (sb.length() > 0) sb.append(" | ");
            sb.append(t);
            if (sb.length() > 600) break;
        }
        return sb.toString();
    }

    private static String tail(List<String> lines) {
        int from = Math.max(0, lines.size() - 5);
        return String.join(" | ", lines.subList(from, lines.size()));
    }

    public boolean isViolation() {
        return kind == Kind.INVARIANT_VIOLATED || kind == Kind.PROPERTY_VIOLATED || kind == Kind.DEADLOCK;
    }
}
