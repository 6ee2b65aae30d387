package cdna.conformance;

import cdna.json.InputException;
import cdna.json.LocatedJson;
import cdna.trace.TlaValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * The breadth-first replay of a {@link StateGraph} on a {@link Twin}: an initial node gets a
 * fresh machine; an edge copies its source's snapshot, takes the labelled step, and compares
 * the machine's state with the target; the first copy that agrees with a target becomes the
 * target's snapshot, and a snapshot is dropped once its node's edges are done.  A mismatch
 * (the machine refuses the step, a variable differs, or, with {@code checkerQuiet}, the
 * machine's checker flags the step) is kept with the shortest path to its source; nodes only
 * reachable through mismatches are not covered.
 */
final class GraphReplay<M> {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** At most this many mismatches are kept (all are counted). */
    static final int KEEP = 20;

    private final StateGraph g;
    private final Twin<M> twin;
    private final boolean checkerQuiet;
    private final int n;
    private final Object[] snapshot;
    private final int[] parent;
    private final byte[] status;  // 0 unseen, 1 queued with a snapshot, 2 done
    private final Trace.State[] steps;
    final BitSet coveredSpec = new BitSet();
    final List<ExhaustiveReplay.Mismatch> mismatches = new ArrayList<>();
    long replayed, covered, mismatchCount;

    GraphReplay(StateGraph g, Twin<M> twin, boolean checkerQuiet) {
        this.g = g;
        this.twin = twin;
        this.checkerQuiet = checkerQuiet;
        n = g.nodes();
        snapshot = new Object[n];
        parent = new int[n];
        status = new byte[n];
        steps = new Trace.State[n];
    }

    @SuppressWarnings("unchecked")
    void run() throws InputException {
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int i : g.initial) {
            parent[i] = -1;
            M m = twin.initial(g.initialVars.get(i), "initial state " + i);
            String d = difference(m, i);
            if (d != null) {
                mismatch(i, -1, "Init", d);
                continue;
            }
            accept(i, -1, m, queue);
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            M from = (M) snapshot[s];
            for (int k = g.start[s]; k < g.start[s + 1]; k++) {
                int t = g.targets[k];
                replayed++;
                M m = twin.copy(from);
                Trace.State st = step(t);
                String refused = twin.step(m, st);
                String d = refused != null ? refused : difference(m, t);
                if (d == null && checkerQuiet) {
                    String f = twin.flagged(from, m);
                    if (f != null) d = "the Java checker flags " + f + ", where TLC found every invariant to hold";
                }
                if (d != null) {
                    mismatch(s, t, st.label(), d);
                    continue;
                }
                if (status[t] == 0) accept(t, s, m, queue);
            }
            snapshot[s] = null;
            status[s] = 2;
        }
        for (int i = 0; i < n; i++) {
            if (status[i] == 0) continue;
            covered++;
            coveredSpec.set(g.specId.get(i));
        }
    }

    private void accept(int node, int from, M m, ArrayDeque<Integer> queue) {
        snapshot[node] = m;
        parent[node] = from;
        status[node] = 1;
        queue.add(node);
    }

    /** Null if the machine's state is the node's spec state, else the first differing variable. */
    private String difference(M m, int node) {
        Map<String, JsonNode> actual = twin.state(m);
        ObjectNode o = F.objectNode();
        for (String v : twin.variables()) o.set(v, actual.get(v));
        String expected = g.specStates.get(g.specId.get(node));
        if (o.toString().equals(expected)) return null;
        try {
            JsonNode e = JSON.readTree(expected);
            for (String v : twin.variables()) {
                String d = Values.difference(v, Values.normalize(e.get(v)), actual.get(v));
                if (d != null) return "the target state differs: " + d.replace("trace has", "TLC has");
            }
        } catch (IOException x) {
            return "the target state differs (unreadable: " + x.getMessage() + ")";
        }
        return "the target state differs";
    }

    private void mismatch(int source, int target, String step, String detail) throws InputException {
        mismatchCount++;
        if (mismatches.size() >= KEEP) return;
        List<String> path = new ArrayList<>();
        for (int x = target < 0 ? -1 : source; x >= 0 && parent[x] >= 0; x = parent[x]) path.add(0, step(x).label());
        mismatches.add(new ExhaustiveReplay.Mismatch(path.size(), path, step, detail));
    }

    // The steps by label: a graph has millions of edges but only as many labels as action instances.
    private final java.util.HashMap<TlaValue, Trace.State> byLabel = new java.util.HashMap<>();

    /** The step into node t, as the twins read it (built once per action instance). */
    private Trace.State step(int t) throws InputException {
        Trace.State st = steps[t];
        if (st != null) return st;
        TlaValue label = g.labels.get(t);
        st = byLabel.get(label);
        if (st != null) {
            steps[t] = st;
            return st;
        }
        String a = StateGraph.action(label);
        TlaValue params = label instanceof TlaValue.Rec r ? r.fields().get("params") : null;
        String src = "the step into dump node " + t;
        LocatedJson.Node an = LocatedJson.parse(src, JSON.valueToTree(a).toString());
        LocatedJson.Obj p = LocatedJson.object(LocatedJson.parse(src, params == null ? "{}" : params.toJson().toString()), "params");
        LocatedJson.Obj none = LocatedJson.object(LocatedJson.parse(src, "{}"), "vars");
        st = new Trace.State(t + 1, a, an, p, none);
        steps[t] = st;
        byLabel.put(label, st);
        return st;
    }
}
