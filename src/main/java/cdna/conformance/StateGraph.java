package cdna.conformance;

import cdna.json.InputException;
import cdna.trace.TlaValue;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A state graph as TLC's {@code -dump dot} writes it for the labelled module of
 * {@link ExhaustiveReplay}: each node a spec state with the step into it ({@value #LABEL}),
 * edges as adjacency arrays.  The spec states are kept once each, as normalized JSON over
 * the twin's variables, and every node points at its own.
 */
final class StateGraph {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** The variable the labelled module adds to hold the step into a state. */
    static final String LABEL = "exLabel";

    final List<TlaValue> labels = new ArrayList<>();
    final List<Integer> specId = new ArrayList<>();
    final List<String> specStates = new ArrayList<>();
    /** The initial nodes, and their variables (to build their machines). */
    final List<Integer> initial = new ArrayList<>();
    final Map<Integer, Map<String, TlaValue>> initialVars = new HashMap<>();
    private final Map<String, Integer> specIndex = new HashMap<>();
    private final Map<Long, Integer> index = new HashMap<>();
    private long[] edgeFrom = new long[1 << 16], edgeTo = new long[1 << 16];
    int edges;
    int[] start, targets;

    int nodes() { return labels.size(); }

    /** Reads a dump; every state must have exactly the given variables and the label. */
    static StateGraph read(Path dump, List<String> variables) throws IOException, InputException {
        StateGraph g = new StateGraph();
        try (BufferedReader in = Files.newBufferedReader(dump, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                int sp = line.indexOf(' ');
                if (sp <= 0 || !isId(line, sp)) continue;
                long id = Long.parseLong(line.substring(0, sp));
                if (line.startsWith(" -> ", sp)) {
                    int sp2 = line.indexOf(' ', sp + 4);
                    g.edge(id, Long.parseLong(line.substring(sp + 4, sp2)));
                } else if (line.startsWith(" [label=\"", sp)) {
                    g.node(id, state(unescape(line, sp + 9), dump + ":" + lineNo), variables, dump + ":" + lineNo);
                }
            }
        }
        g.link();
        g.specIndex.clear();
        return g;
    }

    private void node(long id, Map<String, TlaValue> vars, List<String> variables, String where) throws InputException {
        TlaValue label = vars.remove(LABEL);
        if (label == null) throw new InputException(where + ": a node without " + LABEL);
        ObjectNode expected = F.objectNode();
        for (String v : variables) {
            TlaValue x = vars.get(v);
            if (x == null) throw new InputException(where + ": the state lacks variable " + v);
            expected.set(v, Values.normalize(x.toJson()));
        }
        if (vars.size() != variables.size()) throw new InputException(where + ": the state has variables " + vars.keySet() + ", expected " + variables);
        if (index.put(id, labels.size()) != null) throw new InputException(where + ": node " + id + " twice");
        String key = expected.toString();
        Integer sid = specIndex.get(key);
        if (sid == null) {
            sid = specStates.size();
            specIndex.put(key, sid);
            specStates.add(key);
        }
        specId.add(sid);
        labels.add(label);
        if ("Init".equals(action(label))) {
            initial.add(labels.size() - 1);
            initialVars.put(labels.size() - 1, vars);
        }
    }

    private void edge(long a, long b) {
        if (edges == edgeFrom.length) {
            edgeFrom = java.util.Arrays.copyOf(edgeFrom, edges * 2);
            edgeTo = java.util.Arrays.copyOf(edgeTo, edges * 2);
        }
        edgeFrom[edges] = a;
        edgeTo[edges++] = b;
    }

    /** Turns the edge list into adjacency arrays; an edge naming an unknown node is a malformed dump. */
    private void link() throws InputException {
        int n = labels.size();
        start = new int[n + 1];
        int[] from = new int[edges], to = new int[edges];
        for (int i = 0; i < edges; i++) {
            Integer a = index.get(edgeFrom[i]), b = index.get(edgeTo[i]);
            if (a == null || b == null) throw new InputException("the dump has an edge to or from an unknown node "
                    + (a == null ? edgeFrom[i] : edgeTo[i]));
            from[i] = a;
            to[i] = b;
            start[a + 1]++;
        }
        for (int i = 0; i < n; i++) start[i + 1] += start[i];
        targets = new int[edges];
        int[] fill = start.clone();
        for (int i = 0; i < edges; i++) targets[fill[from[i]]++] = to[i];
        edgeFrom = edgeTo = null;
        index.clear();
    }

    static String action(TlaValue label) {
        return label instanceof TlaValue.Rec r && r.fields().get("action") instanceof TlaValue.Str s ? s.value() : "?";
    }

    private static boolean isId(String line, int end) {
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            if (!(Character.isDigit(c) || (i == 0 && c == '-' && end > 1))) return false;
        }
        return true;
    }

    /** The DOT string starting at {@code from} (after its opening quote), unescaped. */
    static String unescape(String line, int from) {
        StringBuilder sb = new StringBuilder(line.length() - from);
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') return sb.toString();
            if (c == '\\' && i + 1 < line.length()) {
                char d = line.charAt(++i);
                sb.append(d == 'n' ? '\n' : d);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A state as TLC prints it ({@code /\ var = value} conjuncts, a value possibly over several lines), parsed. */
    static Map<String, TlaValue> state(String text, String where) throws InputException {
        Map<String, TlaValue> vars = new LinkedHashMap<>();
        String[] parts = ("\n" + text).split("\n/\\\\ ");
        for (String part : parts) {
            if (part.isBlank()) continue;
            int eq = part.indexOf(" = ");
            if (eq < 0) throw new InputException(where + ": expected \"var = value\", found \"" + part + "\"");
            String var = part.substring(0, eq).strip();
            try {
                vars.put(var, TlaValue.parse(part.substring(eq + 3).replace('\n', ' ').strip()));
            } catch (TlaValue.TlaValueException e) {
                throw new InputException(where + ": variable " + var + ": " + e.getMessage());
            }
        }
        return vars;
    }
}
